namespace StoreProvisioning.Stores;

/// <summary>The e-commerce engine a store runs; each has its own chart under CHARTS_ROOT.</summary>
public enum StoreEngine
{
    WooCommerce,
    Medusa,
}
