{{- define "store-common.secretName" -}}
{{- printf "%s-credentials" (include "store-common.fullname" .) }}
{{- end }}

{{/* Admin e-mail: credentials.adminEmail, else admin@<store.host>. */}}
{{- define "store-common.adminEmail" -}}
{{- $creds := .Values.credentials | default dict }}
{{- get $creds "adminEmail" | default (printf "admin@%s" .Values.store.host) }}
{{- end }}

{{/*
The per-store credentials Secret. Precedence for each key: the Secret already in the
namespace (lookup; empty under `helm template`/client dry-run) > .Values.credentials.<key>
> randAlphaNum. `helm.sh/resource-policy: keep` leaves it in place on uninstall so a
reinstall (retry after a failed install) reuses the password the database PVC was
initialised with. See helm/README.md.
Call with (dict "ctx" $ "keys" (dict "adminPassword" 24 "databasePassword" 24 ...)):
key name -> length of the random fallback.
*/}}
{{- define "store-common.credentialsSecret" -}}
{{- $ctx := .ctx }}
{{- $name := include "store-common.secretName" $ctx }}
{{- $existing := lookup "v1" "Secret" $ctx.Release.Namespace $name }}
{{- $existingData := dict }}
{{- if $existing }}{{ $existingData = $existing.data | default dict }}{{ end }}
{{- $creds := $ctx.Values.credentials | default dict }}
apiVersion: v1
kind: Secret
metadata:
  name: {{ $name | quote }}
  labels:
    {{- include "store-common.componentLabels" (dict "ctx" $ctx "component" "credentials") | nindent 4 }}
  annotations:
    helm.sh/resource-policy: keep
type: Opaque
data:
{{- range $key := keys .keys | sortAlpha }}
  {{- $value := "" }}
  {{- if and (hasKey $existingData $key) (index $existingData $key) }}
  {{- $value = index $existingData $key }}
  {{- else if (get $creds $key) }}
  {{- $value = get $creds $key | toString | b64enc }}
  {{- else }}
  {{- $value = randAlphaNum (int (index $.keys $key)) | b64enc }}
  {{- end }}
  {{ $key }}: {{ $value | quote }}
{{- end }}
{{- end }}

{{/* env entry reading one key of the credentials Secret: (dict "ctx" $ "name" "DB_PASSWORD" "key" "databasePassword") */}}
{{- define "store-common.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "store-common.secretName" .ctx | quote }}
      key: {{ .key }}
{{- end }}
