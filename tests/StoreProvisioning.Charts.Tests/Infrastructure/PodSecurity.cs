using YamlDotNet.RepresentationModel;

namespace StoreProvisioning.Charts.Tests.Infrastructure;

/// <summary>
/// The Pod Security Standard "restricted" profile (baseline + restricted controls, policy v1.31) checked on a rendered
/// pod spec, as the admission controller of a store namespace would: each violation is one readable line.
/// https://kubernetes.io/docs/concepts/security/pod-security-standards/
/// </summary>
public static class PodSecurity
{
    private static readonly HashSet<string> AllowedVolumeTypes =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    private static readonly HashSet<string> SafeSysctls =
    [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    ];

    public static List<string> RestrictedViolations(string id, YamlMappingNode spec)
    {
        var v = new List<string>();
        foreach (var host in new[] { "hostNetwork", "hostPID", "hostIPC" })
            if (spec.Str(host) == "true") v.Add($"{id}: {host} is true");

        if (spec.Get("volumes") is YamlSequenceNode volumes)
            foreach (var vol in volumes.Children.OfType<YamlMappingNode>())
            {
                var types = vol.Children.Keys.Select(k => k.ToString()).Where(k => k != "name").ToList();
                if (types.Any(t => !AllowedVolumeTypes.Contains(t)))
                    v.Add($"{id}: volume {vol.Str("name")} has a type outside {string.Join(", ", AllowedVolumeTypes)}: {string.Join(", ", types)}");
            }

        var pod = spec.Get("securityContext") as YamlMappingNode;
        var podNonRoot = pod.Str("runAsNonRoot") == "true";
        if (pod.Str("runAsUser") == "0") v.Add($"{id}: pod runAsUser is 0");
        var podSeccomp = pod.Str("seccompProfile", "type");
        if (podSeccomp is not null and not ("RuntimeDefault" or "Localhost")) v.Add($"{id}: pod seccompProfile is {podSeccomp}");
        if (pod?.Get("sysctls") is YamlSequenceNode sysctls)
            foreach (var s in sysctls.Children)
                if (!SafeSysctls.Contains(s.Str("name") ?? "")) v.Add($"{id}: sysctl {s.Str("name")} is not in the safe set");

        var containers = new List<YamlMappingNode>();
        foreach (var key in new[] { "initContainers", "containers", "ephemeralContainers" })
            if (spec.Get(key) is YamlSequenceNode seq) containers.AddRange(seq.Children.OfType<YamlMappingNode>());
        if (containers.Count == 0) v.Add($"{id}: no containers");

        foreach (var c in containers)
        {
            var cid = $"{id} {c.Str("name")}";
            var sc = c.Get("securityContext") as YamlMappingNode;
            if (sc.Str("privileged") == "true") v.Add($"{cid}: privileged");
            if (sc.Str("allowPrivilegeEscalation") != "false") v.Add($"{cid}: allowPrivilegeEscalation is not false");
            var nonRoot = sc.Str("runAsNonRoot");
            if (!(nonRoot == "true" || (nonRoot is null && podNonRoot))) v.Add($"{cid}: runAsNonRoot is not true (container or pod)");
            if (sc.Str("runAsUser") == "0") v.Add($"{cid}: runAsUser is 0");
            var seccomp = sc.Str("seccompProfile", "type");
            if (seccomp is null ? podSeccomp is null : seccomp is not ("RuntimeDefault" or "Localhost"))
                v.Add($"{cid}: seccompProfile is {seccomp ?? "unset (and unset on the pod)"}; must be RuntimeDefault or Localhost");
            var drop = (sc.Get("capabilities", "drop") as YamlSequenceNode)?.Children.Select(x => x.ToString()).ToList() ?? [];
            if (!drop.Contains("ALL")) v.Add($"{cid}: capabilities.drop does not contain ALL");
            var add = (sc.Get("capabilities", "add") as YamlSequenceNode)?.Children.Select(x => x.ToString()).ToList() ?? [];
            foreach (var cap in add.Where(a => a != "NET_BIND_SERVICE")) v.Add($"{cid}: adds capability {cap}");
            if (sc.Str("procMount") is { } pm && pm != "Default") v.Add($"{cid}: procMount {pm}");
            if (sc.Str("appArmorProfile", "type") == "Unconfined") v.Add($"{cid}: appArmorProfile Unconfined");
            if (c.Get("ports") is YamlSequenceNode ports)
                foreach (var p in ports.Children)
                    if (p.Str("hostPort") is { } hp && hp != "0") v.Add($"{cid}: hostPort {hp}");
        }
        return v;
    }
}
