using System.Text;
using MassTransit;
using MassTransit.SagaStateMachine;

namespace SagaEngine.Host.Api;

public record StateMachineDescription(
    IReadOnlyList<string> States,
    IReadOnlyList<string> Events,
    IReadOnlyList<StateMachineTransition> Transitions)
{
    /// <summary>Reads the transitions out of the machine itself, so the description cannot drift from the code.</summary>
    public static StateMachineDescription Of<TSaga>(StateMachine<TSaga> machine)
        where TSaga : class, SagaStateMachineInstance
    {
        var visitor = new TransitionCollector<TSaga>();
        machine.Accept(visitor);
        return new StateMachineDescription(
            machine.States.Select(s => s.Name).ToList(),
            machine.Events.Select(e => e.Name).ToList(),
            visitor.Transitions.Distinct().ToList());
    }

    /// <summary>The same graph in Graphviz DOT; states that nothing leaves are drawn as final.</summary>
    public string ToDot(string name)
    {
        var dot = new StringBuilder().AppendLine($"digraph \"{name}\" {{").AppendLine("  rankdir=LR;");
        foreach (var state in States.Where(s => Transitions.Any(t => t.From == s || t.To == s)))
        {
            var final = Transitions.All(t => t.From != state);
            dot.AppendLine($"  \"{state}\" [shape={(final ? "doublecircle" : "ellipse")}];");
        }
        foreach (var t in Transitions)
            dot.AppendLine($"  \"{t.From}\" -> \"{t.To}\" [label=\"{t.Event}\"];");
        return dot.AppendLine("}").ToString();
    }

    sealed class TransitionCollector<TSaga> : StateMachineVisitor
        where TSaga : class, SagaStateMachineInstance
    {
        State? _state;
        Event? _event;

        public List<StateMachineTransition> Transitions { get; } = [];

        public void Visit(State state, Action<State> next)
        {
            _state = state;
            next(state);
        }

        public void Visit(Event @event, Action<Event> next)
        {
            _event = @event;
            next(@event);
        }

        public void Visit<TMessage>(Event<TMessage> @event, Action<Event<TMessage>> next)
            where TMessage : class
        {
            _event = @event;
            next(@event);
        }

        public void Visit(IStateMachineActivity activity) => Visit(activity, _ => { });

        public void Visit(IStateMachineActivity activity, Action<IStateMachineActivity> next)
        {
            if (activity is TransitionActivity<TSaga> transition && _state is not null && _event is not null)
                Transitions.Add(new StateMachineTransition(_state.Name, _event.Name, transition.ToState.Name));
            next(activity);
        }

        public void Visit<T>(IBehavior<T> behavior) where T : class, SagaStateMachineInstance => Visit(behavior, _ => { });

        public void Visit<T>(IBehavior<T> behavior, Action<IBehavior<T>> next) where T : class, SagaStateMachineInstance =>
            next(behavior);

        public void Visit<T, TMessage>(IBehavior<T, TMessage> behavior)
            where T : class, SagaStateMachineInstance where TMessage : class => Visit(behavior, _ => { });

        public void Visit<T, TMessage>(IBehavior<T, TMessage> behavior, Action<IBehavior<T, TMessage>> next)
            where T : class, SagaStateMachineInstance where TMessage : class => next(behavior);
    }
}

public record StateMachineTransition(string From, string Event, string To);
