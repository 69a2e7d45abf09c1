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

/// <summary>The building blocks for fields a later version of a message adds: absent is fine, present must be right.</summary>
public class Optional_field_rules
{
    sealed record Versioned(Guid OrderId, IReadOnlyList<OrderLine>? Items = null, decimal? Total = null, int? Sequence = null);

    static readonly MessageRules<Versioned> Rules = new MessageRules<Versioned>()
        .Field("orderId", m => m.OrderId, FieldRules.Id)
        .Lines("items", m => m.Items, ContractRules.OrderLine, optional: true)
        .Field("total", m => m.Total, FieldRules.Optional(FieldRules.Amount))
        .Field("sequence", m => m.Sequence, FieldRules.Optional(FieldRules.Sequence));

    [Fact]
    public void Should_pass_a_message_that_leaves_them_out_or_gets_them_right()
    {
        Assert.Empty(Rules.Validate(new Versioned(Guid.NewGuid())));
        Assert.Empty(Rules.Validate(new Versioned(Guid.NewGuid(), [new OrderLine("SKU-1", 1, 2.50m)], 2.50m, 3)));
    }

    [Fact]
    public void Should_name_each_one_that_is_present_but_wrong()
    {
        var errors = Rules.Validate(new Versioned(Guid.NewGuid(), [], -1m, 0));

        Assert.Equal(["items", "sequence", "total"], errors.Keys.Order());
        Assert.Equal(["items[0].quantity"], Rules.Validate(new Versioned(Guid.NewGuid(), [new OrderLine("SKU-1", 0, 1m)])).Keys);
    }
}
