using StoreProvisioning.Lifecycle;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Lifecycle;

public class TransitionResultTests
{
    // Move is allowed with a target and no refusal; Refuse is not allowed, has no target, and keeps kind and reason.
    [Fact]
    public void Move_and_refuse_shapes()
    {
        Assert.Equal(new TransitionResult(true, StoreStatus.Ready, null, null), TransitionResult.Move(StoreStatus.Ready));
        Assert.Equal(new TransitionResult(false, null, RefusalKind.Invalid, "why"), TransitionResult.Refuse(RefusalKind.Invalid, "why"));
    }
}
