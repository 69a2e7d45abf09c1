using System.Net;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Api;

public class HostSmoke_Specs
{
    [Fact]
    public async Task Should_serve_the_openapi_document()
    {
        await using var host = new SagaEngineFactory();
        var response = await host.CreateClient().GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/orders", await response.Content.ReadAsStringAsync());
    }
}
