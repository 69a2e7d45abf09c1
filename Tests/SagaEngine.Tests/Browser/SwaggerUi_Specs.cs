using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Browser;

/// <summary>Swagger UI used as a person uses it, in Debian's Chromium: try the example order, then look it up.</summary>
public partial class SwaggerUi_Specs
{
    const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task Should_submit_the_example_order_and_show_its_state()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: test.sh installs Debian's chromium.");
        await using var host = new SagaEngineFactory();
        host.UseKestrel(0);
        host.StartServer();
        var baseAddress = host.CreateClient().BaseAddress!;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
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

    [GeneratedRegex("\"orderId\":\\s*\"([0-9a-f-]{36})\"")]
    private static partial Regex OrderIdInJson();
}
