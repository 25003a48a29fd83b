{{/* Chart name, overridable with nameOverride. */}}
{{- define "woocommerce.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name. The release name is the store name, so by default this is
the release name itself (e.g. "acme"); objects are suffixed per component.
*/}}
{{- define "woocommerce.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "woocommerce.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Immutable selector labels (never add the version here). */}}
{{- define "woocommerce.selectorLabels" -}}
app.kubernetes.io/name: {{ include "woocommerce.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Common labels; callers add app.kubernetes.io/component. */}}
{{- define "woocommerce.labels" -}}
helm.sh/chart: {{ include "woocommerce.chart" . }}
{{ include "woocommerce.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: store-{{ .Values.store.name }}
{{- end }}

{{/* Labels for a component: (dict "ctx" $ "component" "wordpress") */}}
{{- define "woocommerce.componentLabels" -}}
{{ include "woocommerce.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "woocommerce.componentSelectorLabels" -}}
{{ include "woocommerce.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "woocommerce.secretName" -}}
{{- printf "%s-credentials" (include "woocommerce.fullname" .) }}
{{- end }}

{{- define "woocommerce.mariadbHost" -}}
{{- printf "%s-mariadb" (include "woocommerce.fullname" .) }}
{{- end }}

{{- define "woocommerce.adminEmail" -}}
{{- $creds := .Values.credentials | default dict }}
{{- get $creds "adminEmail" | default (printf "admin@%s" .Values.store.host) }}
{{- end }}

{{/*
Credential value for the Secret, already base64 encoded.
Precedence: existing Secret in the namespace (lookup) > .Values.credentials.<key> > random.
Call with (dict "ctx" $ "key" "databasePassword" "existing" $existingData "length" 24).
*/}}
{{- define "woocommerce.credential" -}}
{{- $creds := .ctx.Values.credentials | default dict }}
{{- if and .existing (hasKey .existing .key) (index .existing .key) }}
{{- index .existing .key }}
{{- else if (get $creds .key) }}
{{- get $creds .key | toString | b64enc }}
{{- else }}
{{- randAlphaNum (int .length) | b64enc }}
{{- end }}
{{- end }}

{{- define "woocommerce.image" -}}
{{- printf "%s:%s" .repository .tag }}
{{- end }}

{{/* Database env shared by WordPress and the WP-CLI setup Job (read by wp-config.php). */}}
{{- define "woocommerce.wordpressEnv" -}}
- name: WORDPRESS_DB_HOST
  value: {{ printf "%s:3306" (include "woocommerce.mariadbHost" .) | quote }}
- name: WORDPRESS_DB_NAME
  value: wordpress
- name: WORDPRESS_DB_USER
  value: wordpress
- name: WORDPRESS_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "woocommerce.secretName" . }}
      key: databasePassword
{{- end }}
