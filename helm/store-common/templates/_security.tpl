{{/*
Pod Security Standard "restricted" (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
enforced by the platform on every store namespace. Not a value: a tenant cannot weaken it.

Pod level: (dict "uid" 999 "gid" 999 "fsGroup" 999) — fsGroup optional.
*/}}
{{- define "store-common.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ int .uid }}
runAsGroup: {{ int .gid }}
{{- if hasKey . "fsGroup" }}
fsGroup: {{ int .fsGroup }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Container level: (dict "uid" 999 "gid" 999 "readOnlyRootFilesystem" true) — readOnlyRootFilesystem optional. */}}
{{- define "store-common.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ int .uid }}
runAsGroup: {{ int .gid }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: {{ .readOnlyRootFilesystem | default false }}
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}
