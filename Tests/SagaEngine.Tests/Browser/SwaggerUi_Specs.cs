using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Browser;

/// <summary>Swagger UI used as a person uses it, in Debian's Chromium: try the example order, then look it up.</summary>
public partial class SwaggerUi_Specs
{
    [Fact]
    public async Task Should_submit_the_example_order_and_show_its_state()
    {
        await using var host = new SagaEngineFactory();
        await using var ui = await SwaggerUi.Open(host);
        var page = ui.Page;

        var post = page.Locator(".opblock-post").Filter(new() { Has = page.Locator("[data-path='/orders']") });
        await post.Locator(".opblock-summary").ClickAsync();
        await post.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
        await post.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();

        var postResponse = post.Locator(".live-responses-table .response");
        await Assertions.Expect(postResponse.Locator(".response-col_status")).ToContainTextAsync("202");
        var body = await postResponse.Locator(".response-col_description pre").First.InnerTextAsync();
        var orderId = OrderIdInJson().Match(body).Groups[1].Value;
        Assert.True(Guid.TryParse(orderId, out _), $"No order id in the response shown: {body}");

        var get = page.Locator(".opblock-get").Filter(new() { Has = page.Locator("[data-path='/orders/{orderId}']") });
        await get.Locator(".opblock-summary").ClickAsync();
        await get.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
        await get.Locator("input[placeholder='orderId']").FillAsync(orderId);

        // The order moves on in the background; execute until the page shows it confirmed.
        var getResponse = get.Locator(".live-responses-table .response");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string shown;
        do
        {
            await get.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();
            await Assertions.Expect(getResponse.Locator(".response-col_status")).ToContainTextAsync("200");
            shown = await getResponse.Locator(".response-col_description pre").First.InnerTextAsync();
            Assert.Contains(orderId, shown);
        } while (!shown.Contains("\"Confirmed\"") && DateTime.UtcNow < deadline);

        Assert.Contains("\"state\": \"Confirmed\"", shown);
    }

    [Fact]
    public async Task Should_send_the_operator_key_entered_with_the_authorize_button()
    {
        const string key = "swagger-ui-operator-key-0123";
        await using var host = new SagaEngineFactory().With("Security:OperatorKeys:0:Name", "ui").With("Security:OperatorKeys:0:Key", key);
        await using var ui = await SwaggerUi.Open(host);
        var page = ui.Page;

        var replay = page.Locator(".opblock-post").Filter(new() { Has = page.Locator("[data-path='/dead-letters/{id}/replay']") });
        await replay.Locator(".opblock-summary").ClickAsync();
        await replay.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
        await replay.Locator("input[placeholder='id']").FillAsync("999999");
        var status = replay.Locator(".live-responses-table .response .response-col_status");
        await replay.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();
        await Assertions.Expect(status).ToContainTextAsync("401");

        await page.Locator(".auth-wrapper .authorize").ClickAsync();
        var dialog = page.Locator(".modal-ux");
        await dialog.GetByLabel("auth-bearer-value").FillAsync(key);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Apply credentials" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await replay.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();

        // Past the key check: no such dead letter.
        await Assertions.Expect(status).ToContainTextAsync("404");
    }

    [GeneratedRegex("\"orderId\":\\s*\"([0-9a-f-]{36})\"")]
    private static partial Regex OrderIdInJson();
}

/// <summary>Debian's Chromium showing the host's Swagger UI, served by Kestrel on a free port.</summary>
sealed class SwaggerUi(IPlaywright playwright, IBrowser browser, IPage page) : IAsyncDisposable
{
    const string ChromiumPath = "/usr/bin/chromium";

    public IPage Page => page;

    public static async Task<SwaggerUi> Open(SagaEngineFactory host)
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: test.sh installs Debian's chromium.");
        host.UseKestrel(0);
        host.StartServer();
        var baseAddress = host.CreateClient().BaseAddress!;

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in a container needs --no-sandbox; the rest keeps Chromium off the (closed) network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]
        });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(new Uri(baseAddress, "/swagger").ToString());
        return new SwaggerUi(playwright, browser, page);
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
