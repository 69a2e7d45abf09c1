using SagaEngine.Host.Kafka.Monitoring;
using SagaEngine.Host.Projections;
using SagaEngine.Host.Projections.Consistency;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using SagaEngine.Host.Security;
using SagaEngine.Sagas;

namespace SagaEngine.Host.Api;

public static class ApiExtensions
{
    /// <summary>Larger order bodies are refused with 413 before they are read.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        builder.Services.Configure<JsonOptions>(o =>
        {
            // "2" is not 2: a string where the contract says number is a client error, not a guess.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        // Let binding failures reach the exception handler, which names the field, in every environment.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();

        builder.Services.AddScoped<OrderQueries>();
        // A factory, so the container does not look for the projections' waiters on a host that has no read models
        // (Messaging:Transport=InMemory): only the read-model routes, mapped where projections run, resolve it.
        builder.Services.AddSingleton(sp => new ConsistentReads(sp.GetRequiredService<ProjectionWaiters>(), sp.GetRequiredService<OrderStateMachine>()));
        builder.Services.AddSingleton<OrderOutcomeWaiters>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OrderOutcomeWaiters>());
        builder.Services.AddSingleton<MassTransit.IStateObserver<SagaEngine.Sagas.OrderState>, OrderEndedSignal>();
        builder.Services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section)
            .Validate(o => o.IdempotencyKeyRetention > TimeSpan.Zero, $"{IntakeOptions.Section}:IdempotencyKeyRetention must be more than 0.")
            .ValidateOnStart();
        builder.Services.AddHostedService<IdempotencyKeyExpiry>();
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new() { Title = "SagaEngine", Version = "v1", Description = "Order workflow engine: submit orders and inspect their sagas." });
            var xml = Path.Combine(AppContext.BaseDirectory, "SagaEngine.xml");
            if (File.Exists(xml))
                o.IncludeXmlComments(xml);
            o.SchemaFilter<ExampleSchemaFilter>();
        });
        return builder;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSwagger();
        app.UseSwaggerUI(o => o.SwaggerEndpoint("/swagger/v1/swagger.json", "SagaEngine v1"));
        // After Swagger, whose document and UI stay open: the UI is where a key is entered.
        app.UseSecurity();

        app.MapOrdersApi();
        app.MapOrderActionsApi();
        app.MapServicesApi();
        app.MapEventStoreApi();
        app.MapProjectionsApi();
        app.MapOutboxApi();
        app.MapSchemasApi();
        // Only when the flow runs on Kafka (Messaging:Transport).
        if (app.Services.GetService<KafkaInspector>() is not null)
        {
            app.MapKafkaApi();
            app.MapDeadLettersApi();
        }
        // The read models are fed from Kafka: only there are they kept.
        if (app.Services.GetService<ProjectionRegistry>() is not null)
        {
            app.MapReadModelsApi();
            app.MapCustomerOrdersApi();
            app.MapReportsApi();
        }
        app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription().AllowAnonymous();
        return app;
    }
}
