using System.Reflection;
using System.Text.Json;
using SagaEngine.Contracts;
using SagaEngine.Contracts.Validation;

namespace SagaEngine.Tests.Messaging;

/// <summary>The rules every message is checked by, as pure functions: one forged message per rule per type.</summary>
public class ContractRules_Specs
{
    public static TheoryData<string> Forged => new(ForgedMessages.All.Select(f => f.Name));

    public static TheoryData<Type> Types => new(ForgedMessages.Valid.Keys);

    [Fact]
    public void Should_have_rules_for_every_message_and_a_rule_for_every_field()
    {
        var records = typeof(OrderSubmitted).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(OrderSubmitted).Namespace && t.GetMethod("<Clone>$") is not null && t != typeof(OrderLine));
        foreach (var type in records)
        {
            var rules = ContractRules.For(type);
            Assert.True(rules is not null, $"{type.Name} has no rules in ContractRules.");
            Assert.Equal(JsonNames(type), rules.Fields.Distinct().Order());
        }
        Assert.Equal(JsonNames(typeof(OrderLine)), ContractRules.OrderLine.Fields.Order());
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Should_pass_a_valid_message(Type type)
    {
        var (_, json) = ForgedMessages.Valid[type];

        Assert.Empty(ContractRules.For(type)!.Validate(Read(type, json.Replace("\"ID\"", $"\"{Guid.NewGuid()}\""))));
    }

    [Theory]
    [MemberData(nameof(Forged))]
    public void Should_name_exactly_the_broken_fields(string name)
    {
        var forged = ForgedMessages.All.Single(f => f.Name == name);

        var errors = ContractRules.For(forged.Type)!.Validate(Read(forged.Type, forged.Json));

        Assert.Equal(forged.Fields.Order(), errors.Keys.Order());
        Assert.All(errors.Values, messages => Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m))));
    }

    [Fact]
    public void Should_name_every_forged_case_once()
    {
        var names = ForgedMessages.All.Select(f => f.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(ForgedMessages.Valid.Keys, t => Assert.Contains(ForgedMessages.All, f => f.Type == t));
    }

    static object Read(Type type, string json) => JsonSerializer.Deserialize(json, type, JsonSerializerOptions.Web)!;

    static IEnumerable<string> JsonNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract")
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order();
}
