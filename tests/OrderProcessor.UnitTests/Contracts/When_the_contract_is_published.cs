using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Serialization;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Contracts;

/// <summary>
/// The contract files in <c>contracts/</c> are what the contract types generate: a property added, renamed or retyped
/// without regenerating them fails here. Regenerate with
/// <c>ORDERPROCESSOR_WRITE_CONTRACTS=1 dotnet test tests/OrderProcessor.UnitTests --filter FullyQualifiedName~When_the_contract_is_published</c>.
/// </summary>
public sealed class When_the_contract_is_published(ITestOutputHelper output)
{
    [Fact]
    public void Should_hold_exactly_the_schemas_and_the_asyncapi_document_the_contract_types_generate()
    {
        var expected = ContractSchemas.All().ToDictionary(kv => Path.Combine("schemas", kv.Key), kv => kv.Value);
        expected[AsyncApiContract.FileName] = AsyncApiContract.Write();
        if (Environment.GetEnvironmentVariable("ORDERPROCESSOR_WRITE_CONTRACTS") == "1")
        {
            Directory.CreateDirectory(ContractFiles.SchemaDirectory);
            foreach (var stale in Directory.GetFiles(ContractFiles.SchemaDirectory, "*.schema.json"))
            {
                File.Delete(stale);
            }

            foreach (var (file, content) in expected)
            {
                File.WriteAllText(Path.Combine(ContractFiles.Directory, file), content);
            }
        }

        var present = Directory.GetFiles(ContractFiles.SchemaDirectory, "*.schema.json")
            .Select(f => Path.Combine("schemas", Path.GetFileName(f))).ToHashSet();
        var differences = expected
            .Where(kv => !File.Exists(Path.Combine(ContractFiles.Directory, kv.Key)) || File.ReadAllText(Path.Combine(ContractFiles.Directory, kv.Key)) != kv.Value)
            .Select(kv => $"contracts/{kv.Key} differs from what the contract types generate")
            .Concat(present.Except(expected.Keys).Select(f => $"contracts/{f} belongs to no contract type"))
            .ToList();
        output.WriteLine($"{expected.Count} contract files generated, {differences.Count} differ");
        Assert.True(differences.Count == 0,
            string.Join(Environment.NewLine, differences) + Environment.NewLine +
            "Regenerate: ORDERPROCESSOR_WRITE_CONTRACTS=1 dotnet test tests/OrderProcessor.UnitTests --filter FullyQualifiedName~When_the_contract_is_published");
    }

    [Fact]
    public void Should_name_in_each_schema_every_field_the_bus_writes_with_a_value_of_its_type()
    {
        // Independent of the generator: what MassTransit's own serializer writes for each contract type must validate
        // against the committed schema, and every field it writes must be one the schema names.
        var failures = new List<string>();
        var checkedFields = 0;
        foreach (var type in ContractSchemas.Commands.Concat(ContractSchemas.Events).Where(t => !t.IsInterface))
        {
            var schemaNode = JsonNode.Parse(ContractFiles.Schema(type.Name))!;
            var properties = schemaNode["properties"]!.AsObject();
            var written = JsonSerializer.SerializeToNode(Activator.CreateInstance(type), type, SystemTextJsonMessageSerializer.Options)!.AsObject();
            foreach (var (name, _) in written)
            {
                checkedFields++;
                if (!properties.ContainsKey(name))
                {
                    failures.Add($"{type.Name}.{name} is written on the wire but not in {type.Name}.schema.json");
                }
            }

            var schema = Json.Schema.JsonSchema.FromText(ContractSchemas.Write(schemaNode), new Json.Schema.BuildOptions { SchemaRegistry = new Json.Schema.SchemaRegistry() });
            using var document = JsonDocument.Parse(written.ToJsonString());
            var isEvent = !ContractSchemas.Commands.Contains(type);
            if (isEvent && !schema.Evaluate(document.RootElement, new Json.Schema.EvaluationOptions()).IsValid)
            {
                failures.Add($"{type.Name} as the bus writes it does not validate against its schema: {written.ToJsonString()}");
            }
        }

        output.WriteLine($"{checkedFields} written fields checked against their schemas");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
    [Fact]
    public void Should_resolve_every_reference_of_the_asyncapi_document()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(ContractFiles.Directory, AsyncApiContract.FileName)))!;
        var references = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key == "$ref")
                        {
                            references.Add((string)value!);
                        }
                        else
                        {
                            Walk(value);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        Walk(root);
        var unresolved = references.Where(r => r.StartsWith('#')
            ? r[2..].Split('/').Aggregate((JsonNode?)root, (n, part) => n?[part]) is null
            : !File.Exists(Path.Combine(ContractFiles.Directory, r))).Distinct().ToList();
        var exchanges = root["channels"]!.AsObject().Select(c => (string?)c.Value!["address"]).ToList();
        output.WriteLine($"{references.Count} references, {unresolved.Count} unresolved; {exchanges.Count} channels");
        Assert.Empty(unresolved);
        Assert.Equal("3.0.0", (string?)root["asyncapi"]);
        foreach (var type in ContractSchemas.Commands.Concat(ContractSchemas.Events))
        {
            Assert.Contains($"OrderProcessor.Contracts:{type.Name}", exchanges);
        }
    }

    [Fact]
    public void Should_require_in_the_schemas_exactly_what_the_validators_require()
    {
        // An empty command: every field the validator refuses as missing (rule required) must be required by the schema
        // and be no more; a new required rule in the validator fails here until ContractSchemas says it too.
        static IEnumerable<string> Required(IEnumerable<FieldViolation> violations, string prefix = "") =>
            violations.Where(v => v.Rule == "required" && v.Field.StartsWith(prefix, StringComparison.Ordinal) && !v.Field[prefix.Length..].Contains('.', StringComparison.Ordinal))
                .Select(v => v.Field[prefix.Length..]).Order(StringComparer.Ordinal);

        var place = PlaceOrderValidator.Validate(new PlaceOrder { StopLoss = new AttachedOrder() });
        var check = StandaloneMarginCheck.Validate(new MarginCheck());
        var compared = new (Type Type, IEnumerable<string> Validator)[]
        {
            (typeof(PlaceOrder), Required(place)),
            (typeof(AttachedOrder), Required(place, "stopLoss.")),
            (typeof(MarginCheck), Required(check)),
        };
        foreach (var (type, validator) in compared)
        {
            var schema = ContractSchemas.RequiredByValidation[type].Order(StringComparer.Ordinal);
            output.WriteLine($"{type.Name}: validator requires [{string.Join(", ", validator)}]; schema requires [{string.Join(", ", schema)}]");
            Assert.Equal(validator, schema);
        }
    }

    [Fact]
    public void Should_publish_a_schema_for_every_contract_type()
    {
        // A new command or event in OrderProcessor.Contracts must be added to ContractSchemas (and so get its schema and
        // its AsyncAPI channel); nested types (legs, violations, figures) and enums appear in the $defs of their owners.
        var published = ContractSchemas.Commands.Concat(ContractSchemas.Events).ToHashSet();
        var nested = published.SelectMany(t => JsonNode.Parse(ContractFiles.Schema(t.Name))!["$defs"]?.AsObject().Select(d => d.Key) ?? []).ToHashSet();
        var missing = typeof(OrderProcessor.Contracts.PlaceOrder).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "OrderProcessor.Contracts" && !t.IsGenericType && (t.IsInterface || t.IsEnum || (t.IsClass && !t.IsAbstract)))
            .Where(t => !published.Contains(t) && !nested.Contains(t.Name) && !typeof(System.Text.Json.Serialization.JsonConverter).IsAssignableFrom(t))
            .Select(t => t.Name)
            .ToList();
        output.WriteLine($"{published.Count} messages and {nested.Count} nested types published; not covered: {string.Join(", ", missing)}");
        Assert.Empty(missing);
    }
}
