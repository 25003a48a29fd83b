namespace StoreProvisioning.Configuration;

/// <summary>
/// A secret setting (e.g. NOTIFY_WEBHOOK_SECRET): its text only through <see cref="Reveal"/>, never through
/// <see cref="ToString"/>, so printing the options (a record) or a log template never shows it.
/// </summary>
public sealed class SecretText(string value)
{
    public int Length => value.Length;

    public string Reveal() => value;

    public override string ToString() => "(secret)";
}
