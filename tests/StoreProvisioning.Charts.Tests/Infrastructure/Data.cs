using Xunit;

namespace StoreProvisioning.Charts.Tests.Infrastructure;

/// <summary>xunit MemberData sources: helm version × chart (× ci values file).</summary>
public static class Data
{
    public static TheoryData<string, string> VersionsAndCharts()
    {
        var d = new TheoryData<string, string>();
        foreach (var v in Helm.Versions)
            foreach (var c in Helm.Charts)
                d.Add(v, c);
        return d;
    }

    public static TheoryData<string, string, string> VersionsChartsAndCiFiles()
    {
        var d = new TheoryData<string, string, string>();
        foreach (var v in Helm.Versions)
            foreach (var c in Helm.Charts)
                foreach (var f in Helm.CiValuesFiles(c))
                    d.Add(v, c, f);
        return d;
    }

    public static TheoryData<string> ChartsOnly()
    {
        var d = new TheoryData<string>();
        foreach (var c in Helm.Charts) d.Add(c);
        return d;
    }
}
