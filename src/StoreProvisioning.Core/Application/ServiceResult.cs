using StoreProvisioning.Lifecycle;

namespace StoreProvisioning.Application;

/// <summary>The outcome of an application call: a value, or the <see cref="Lifecycle.Refusal"/> a person can act on.</summary>
public sealed record ServiceResult<T>(T? Value, Refusal? Refusal)
{
    public bool IsOk => Refusal is null;

    public static ServiceResult<T> Ok(T value) => new(value, null);

    public static ServiceResult<T> Refuse(Refusal refusal) => new(default, refusal);
}
