#:project ../SagaEngine.csproj
#:property PublishAot=false

// Keeps the schema catalog (Contracts/Schemas) in step with the contracts. Run by schemas.sh.
//   update   writes each message's current version's schema where it is missing or out of date; never a released one
//   release  records every file of every version as released (Contracts/Schemas/released.json)

using System.Text.Json.Nodes;
using SagaEngine.Contracts.Schemas;
using SagaEngine.Host.Messaging.Schemas;

if (args is not [("update" or "release") and var command, var projectDirectory])
{
    Console.Error.WriteLine("usage: Schemas.cs update|release <project directory>");
    return 2;
}
var catalog = Path.Combine(Path.GetFullPath(projectDirectory), "Contracts", "Schemas");
var released = CatalogFiles.ReadReleased(catalog);

if (command == "release")
{
    foreach (var message in MessageCatalog.Messages)
    foreach (var version in message.Versions)
    foreach (var file in CatalogFiles.FilesOf(catalog, message.ShortName, version))
        released[file] = CatalogFiles.Hash(Path.Combine(catalog, file));
    CatalogFiles.WriteReleased(catalog, released);
    Console.WriteLine($"{released.Count} files recorded as released in {Path.Combine("Contracts", "Schemas", CatalogFiles.ReleasedFile)}");
    return 0;
}

var failed = false;
foreach (var message in MessageCatalog.Messages)
{
    var relative = CatalogFiles.SchemaFile(message.ShortName, message.Version);
    var path = Path.Combine(catalog, relative);
    var generated = ContractSchemaGenerator.ToText(ContractSchemaGenerator.Generate(message));
    var existing = File.Exists(path) ? File.ReadAllText(path) : null;
    if (existing is not null && JsonNode.DeepEquals(JsonNode.Parse(existing), JsonNode.Parse(generated)))
        continue;
    if (released.ContainsKey(relative))
    {
        Console.Error.WriteLine($"{message.ShortName} v{message.Version} is released and its contract changed: give it version " +
                                $"{message.Version + 1} ([MessageIdentity(\"{message.Name}\", Version = {message.Version + 1})]), " +
                                "and an upcaster if the gate calls the change breaking.");
        failed = true;
        continue;
    }
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, generated);
    Console.WriteLine($"wrote Contracts/Schemas/{relative}");
}
foreach (var message in MessageCatalog.Messages)
foreach (var version in message.Versions.Where(v => CatalogFiles.Samples(catalog, message.ShortName, v).Count == 0))
    Console.WriteLine($"{message.ShortName} v{version} has no sample yet: add Contracts/Schemas/{message.ShortName}/v{version}.sample.json");
return failed ? 1 : 0;
