using System.Text.Json;
using StoreProvisioning.Identity;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Core.Tests.Validation;

public sealed class KeyRequestValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);

    private static Validated<CreateKeyRequest> Validate(string json) => KeyRequestValidator.Create(JsonDocument.Parse(json).RootElement.Clone(), Now);

    // A complete request is read with its role, name and expiry.
    [Fact]
    public void A_valid_request_is_read()
    {
        var result = Validate("""{"userId":"alice","role":"operator","name":"CI","expiresAt":"2027-01-01T00:00:00Z"}""");
        Assert.True(result.IsValid);
        Assert.Equal(new CreateKeyRequest("alice", Role.Operator, "CI", new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)), result.Value);
    }

    // Each bad field is named: unknown role (or a differently cased one), bad user id, past expiry, unknown fields, a caller-chosen key.
    [Theory]
    [InlineData("""{"userId":"alice","role":"root"}""", "role")]
    [InlineData("""{"userId":"alice","role":"Admin"}""", "role")]
    [InlineData("""{"userId":"alice"}""", "role")]
    [InlineData("""{"userId":"al ice","role":"user"}""", "userId")]
    [InlineData("""{"role":"user"}""", "userId")]
    [InlineData("""{"userId":"alice","role":"user","expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"userId":"alice","role":"user","expiresAt":"soon"}""", "expiresAt")]
    [InlineData("""{"userId":"alice","role":"user","name":""}""", "name")]
    [InlineData("""{"userId":"alice","role":"user","key":"mine"}""", "key")]
    [InlineData("""[]""", "userId")]
    public void Bad_fields_are_named(string json, string field)
    {
        var result = Validate(json);
        Assert.False(result.IsValid);
        Assert.Contains(field, result.Errors.Keys);
    }
}
