{{/* Chart name, overridable with nameOverride. */}}
{{- define "medusa.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name. The release name is the store name, so by default this is
the release name itself (e.g. "acme"); objects are suffixed per component.
*/}}
{{- define "medusa.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "medusa.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Immutable selector labels (never add the version here). */}}
{{- define "medusa.selectorLabels" -}}
app.kubernetes.io/name: {{ include "medusa.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Common labels; callers add app.kubernetes.io/component. */}}
{{- define "medusa.labels" -}}
helm.sh/chart: {{ include "medusa.chart" . }}
{{ include "medusa.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: store-{{ .Values.store.name }}
{{- end }}

{{/* Labels for a component: (dict "ctx" $ "component" "wordpress") */}}
{{- define "medusa.componentLabels" -}}
{{ include "medusa.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "medusa.componentSelectorLabels" -}}
{{ include "medusa.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "medusa.secretName" -}}
{{- printf "%s-credentials" (include "medusa.fullname" .) }}
{{- end }}

{{- define "medusa.postgresqlHost" -}}
{{- printf "%s-postgresql" (include "medusa.fullname" .) }}
{{- end }}

{{- define "medusa.redisHost" -}}
{{- printf "%s-redis" (include "medusa.fullname" .) }}
{{- end }}

{{- define "medusa.serverName" -}}
{{- printf "%s-server" (include "medusa.fullname" .) }}
{{- end }}

{{- define "medusa.adminEmail" -}}
{{- $creds := .Values.credentials | default dict }}
{{- get $creds "adminEmail" | default (printf "admin@%s" .Values.store.host) }}
{{- end }}

{{/*
Credential value for the Secret, already base64 encoded.
Precedence: existing Secret in the namespace (lookup) > .Values.credentials.<key> > random.
Call with (dict "ctx" $ "key" "databasePassword" "existing" $existingData "length" 24).
*/}}
{{- define "medusa.credential" -}}
{{- $creds := .ctx.Values.credentials | default dict }}
{{- if and .existing (hasKey .existing .key) (index .existing .key) }}
{{- index .existing .key }}
{{- else if (get $creds .key) }}
{{- get $creds .key | toString | b64enc }}
{{- else }}
{{- randAlphaNum (int .length) | b64enc }}
{{- end }}
{{- end }}

{{- define "medusa.image" -}}
{{- printf "%s:%s" .repository .tag }}
{{- end }}

{{/* CORS origins: the store URL (scheme://host[:port], no path) plus optional extras. */}}
{{- define "medusa.cors" -}}
{{- $u := urlParse .ctx.Values.store.url }}
{{- $origin := printf "%s://%s" $u.scheme $u.host }}
{{- $extra := .extra | default "" }}
{{- if $extra }}{{ printf "%s,%s" $origin $extra }}{{ else }}{{ $origin }}{{ end }}
{{- end }}

{{/*
Environment of the Medusa server, its migration init container and the admin-user
Job. Each name appears exactly once. DATABASE_URL gets the password by Kubernetes
$(VAR) composition from DB_PASSWORD (Secret), so no password is rendered.
*/}}
{{- define "medusa.env" -}}
- name: NODE_ENV
  value: production
- name: PORT
  value: {{ .Values.containerPort | quote }}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "medusa.secretName" . }}
      key: databasePassword
- name: DATABASE_URL
  value: {{ printf "postgres://medusa:$(DB_PASSWORD)@%s:5432/medusa?sslmode=disable" (include "medusa.postgresqlHost" .) | quote }}
- name: REDIS_URL
  value: {{ printf "redis://%s:6379" (include "medusa.redisHost" .) | quote }}
- name: JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "medusa.secretName" . }}
      key: jwtSecret
- name: COOKIE_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "medusa.secretName" . }}
      key: cookieSecret
- name: STORE_CORS
  value: {{ include "medusa.cors" (dict "ctx" . "extra" .Values.cors.store) | quote }}
- name: ADMIN_CORS
  value: {{ include "medusa.cors" (dict "ctx" . "extra" .Values.cors.admin) | quote }}
- name: AUTH_CORS
  value: {{ include "medusa.cors" (dict "ctx" . "extra" .Values.cors.auth) | quote }}
- name: MEDUSA_BACKEND_URL
  value: {{ .Values.store.url | trimSuffix "/" | quote }}
{{- end }}
