{{/*
Names and labels shared by the store charts. Every helper takes the chart's root
context (or a dict with "ctx" = root context), so .Chart is the calling chart.
The release name is the store name (validated by helm as a DNS-1123 name).
*/}}

{{/* Chart name (no nameOverride: platform NetworkPolicies select pods by it). */}}
{{- define "store-common.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Base object name: the release (= store) name, e.g. "acme"; objects add a component suffix. */}}
{{- define "store-common.fullname" -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- end }}

{{- define "store-common.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Immutable selector labels (never add the version here). */}}
{{- define "store-common.selectorLabels" -}}
app.kubernetes.io/name: {{ include "store-common.name" . | quote }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
{{- end }}

{{/* Common labels; componentLabels adds app.kubernetes.io/component. */}}
{{- define "store-common.labels" -}}
helm.sh/chart: {{ include "store-common.chart" . | quote }}
{{ include "store-common.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/part-of: {{ printf "store-%s" .Values.store.name | quote }}
{{- end }}

{{/* Labels of one component: (dict "ctx" $ "component" "wordpress") */}}
{{- define "store-common.componentLabels" -}}
{{ include "store-common.labels" .ctx }}
app.kubernetes.io/component: {{ .component | quote }}
{{- end }}

{{- define "store-common.componentSelectorLabels" -}}
{{ include "store-common.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component | quote }}
{{- end }}

{{/* "<repository>:<tag>" of an image values block, quoted. */}}
{{- define "store-common.image" -}}
{{- printf "%s:%s" .repository .tag | quote }}
{{- end }}
