using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using StoreProvisioning.Functions.Tests.Infrastructure;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Tests;

/// <summary>Generated credentials travel only in the private values file: never in argv, logs (with their scopes), spans, audit rows, the store row or durable history.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class SecretTests
{
    // A full lifecycle (failed install with stderr echoing a secret, retry, upgrade, rollback, delete), then every record is searched for the generated values.
    [Theory]
    [InlineData(StoreEngine.WooCommerce)]
    [InlineData(StoreEngine.Medusa)]
    public async Task Generated_credentials_appear_nowhere_but_the_values_file(StoreEngine engine)
    {
        var spans = new SpanList();
        await using var h = await Harness.StartAsync(services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        _ = h.Services.GetRequiredService<TracerProvider>();
        var secrets = new List<string>();

        var failed = await h.ProvisionAsync("failvault", engine); // the fail* convention: the first install fails
        secrets.AddRange(Credentials(h.Fakes.ValuesOf("failvault")!));
        var retried = await h.RetryAsync("failvault");
        secrets.AddRange(Credentials(h.Fakes.ValuesOf("failvault")!));
        await h.UpgradeAsync("failvault", """{"replicaCount":1}""");
        await h.RollbackAsync("failvault");
        var beforeDelete = await h.Repository.GetAsync("failvault");
        await h.DeleteAsync("failvault");

        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.Equal(StoreStatus.Ready, retried!.Status);
        Assert.Equal(engine == StoreEngine.Medusa ? 8 : 6, secrets.Count); // two generations (install, retry) of every generated secret
        Assert.All(secrets, s => Assert.True(s.Length >= 16));

        var records = new Dictionary<string, string>
        {
            ["argv (calls.jsonl)"] = h.Fakes.RawCalls(),
            ["log lines"] = string.Join('\n', h.Logs.Lines),
            ["span names and attributes"] = string.Join('\n', spans.Select(SpanList.Describe)),
            ["audit rows"] = JsonSerializer.Serialize(await h.Queries.ListActivityAsync(500)),
            ["store rows"] = JsonSerializer.Serialize(new[] { failed, retried, beforeDelete }),
            ["durable history"] = string.Join('\n', h.Orchestrations.Select(o => o.SerializedInput + o.SerializedOutput + o.SerializedCustomStatus)),
        };
        Assert.True(h.Logs.Lines.Count > 50, "the logs were captured");
        Assert.Contains(spans, s => s.DisplayName == "helm upgrade"); // the spans were captured
        Assert.Contains(h.Logs.Entries, e => Equals(e.Scope.GetValueOrDefault("store"), "failvault"));
        foreach (var (where, text) in records)
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a generated credential leaked into the {where}");
            }
        }
    }

    // helm's stderr is redacted before it reaches an error message: a secret echoed by helm shows as [REDACTED] in the store's error.
    [Fact]
    public async Task Secrets_echoed_by_helm_are_redacted_from_errors()
    {
        await using var h = await Harness.StartAsync(f => f.Helm("FAKE_HELM_ECHO_VALUES_ON_FAILURE", "1"));
        h.Fakes.SetBehaviour("acme", "once:upgrade:fail");

        var failed = await h.ProvisionAsync("acme");

        var secrets = Credentials(h.Fakes.ValuesOf("acme")!);
        Assert.Equal(StoreStatus.Failed, failed!.Status);
        Assert.Contains("[REDACTED]", failed.Error);
        Assert.All(secrets, s => Assert.DoesNotContain(s, failed.Error));
        var audit = JsonSerializer.Serialize(await h.AuditAsync("acme"));
        Assert.All(secrets, s => Assert.DoesNotContain(s, audit));
    }

    private static List<string> Credentials(string valuesJson)
    {
        using var values = JsonDocument.Parse(valuesJson);
        return values.RootElement.GetProperty("credentials").EnumerateObject()
            .Where(p => p.Name != "adminEmail")
            .Select(p => p.Value.GetString()!)
            .ToList();
    }
}
