using StoreProvisioning.Lifecycle;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Lifecycle;

public class TransitionResultTests
{
    // Move is allowed with a target and no refusal; Refuse is not allowed, has no target, and keeps the refusal.
    [Fact]
    public void Move_and_refuse_shapes()
    {
        var why = Refusal.Invalid("why");
        Assert.Equal(new TransitionResult(true, StoreStatus.Ready, null), TransitionResult.Move(StoreStatus.Ready));
        Assert.Equal(new TransitionResult(false, null, why), TransitionResult.Refuse(why));
    }

    // There is one "not found" for every store refusal, naming the store and where to look.
    [Fact]
    public void Not_found_names_the_store()
    {
        var refusal = Refusal.NotFound("ghost");
        Assert.Equal(RefusalKind.NotFound, refusal.Kind);
        Assert.Equal("Store not found", refusal.Title);
        Assert.Contains("'ghost'", refusal.Detail);
    }
}
