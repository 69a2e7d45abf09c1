#:package Microsoft.EntityFrameworkCore.Design@10.0.5
#:project ../SagaEngine.csproj
#:property NoWarn=EF1001
#:property PublishAot=false

// Scaffolds one EF Core migration per provider, each into its own folder, through EF's design-time
// services (what dotnet-ef does; no dotnet-ef 10.x can be restored here). Run by add-migration.sh.

using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using SagaEngine.Host.Persistence;
using SagaEngine.Host.Persistence.Providers;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: AddMigration.cs <MigrationName> <project directory>");
    return 2;
}
var (name, projectDirectory) = (args[0], Path.GetFullPath(args[1]));

Scaffold(new SqliteSagaEngineDbContext(new DbContextOptionsBuilder<SqliteSagaEngineDbContext>()
    .UseSqlite("Data Source=design-time.db").Options), DatabaseProvider.Sqlite);
Scaffold(new PostgresSagaEngineDbContext(new DbContextOptionsBuilder<PostgresSagaEngineDbContext>()
    .UseNpgsql("Host=design-time").Options), DatabaseProvider.Postgres);
return 0;

void Scaffold(DbContext db, DatabaseProvider provider)
{
    var services = new ServiceCollection().AddEntityFrameworkDesignTimeServices();
    services.AddDbContextDesignTimeServices(db);
    ProviderDesignTimeServices(db).ConfigureDesignTimeServices(services);

    var scaffolder = services.BuildServiceProvider().GetRequiredService<IMigrationsScaffolder>();
    var migration = scaffolder.ScaffoldMigration(name, "SagaEngine", $"Host.Persistence.Migrations.{provider}", "C#");
    var files = scaffolder.Save(projectDirectory, migration, Path.Combine(projectDirectory, "Host", "Persistence", "Migrations", provider.ToString()));
    Console.WriteLine($"{provider}: {Path.GetRelativePath(projectDirectory, files.MigrationFile!)}");
}

// Each provider names its design-time services in an assembly attribute, as dotnet-ef finds them.
static IDesignTimeServices ProviderDesignTimeServices(DbContext db)
{
    var assembly = Assembly.Load(new AssemblyName(db.Database.ProviderName!));
    var attribute = assembly.GetCustomAttribute<DesignTimeProviderServicesAttribute>()!;
    return (IDesignTimeServices)Activator.CreateInstance(assembly.GetType(attribute.TypeName, throwOnError: true)!)!;
}
