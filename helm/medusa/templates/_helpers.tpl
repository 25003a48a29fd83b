{{- define "medusa.postgresqlHost" -}}
{{- printf "%s-postgresql" (include "store-common.fullname" .) }}
{{- end }}

{{- define "medusa.redisHost" -}}
{{- printf "%s-redis" (include "store-common.fullname" .) }}
{{- end }}

{{- define "medusa.serverName" -}}
{{- printf "%s-server" (include "store-common.fullname" .) }}
{{- end }}

{{/* The server's port (fixed: the platform's NetworkPolicy allows exactly this port). */}}
{{- define "medusa.httpPort" -}}9000{{- end }}

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
  value: {{ include "medusa.httpPort" . | quote }}
{{ include "store-common.secretEnv" (dict "ctx" . "name" "DB_PASSWORD" "key" "databasePassword") }}
- name: DATABASE_URL
  value: {{ printf "postgres://medusa:$(DB_PASSWORD)@%s:5432/medusa?sslmode=disable" (include "medusa.postgresqlHost" .) | quote }}
- name: REDIS_URL
  value: {{ printf "redis://%s:6379" (include "medusa.redisHost" .) | quote }}
{{ include "store-common.secretEnv" (dict "ctx" . "name" "JWT_SECRET" "key" "jwtSecret") }}
{{ include "store-common.secretEnv" (dict "ctx" . "name" "COOKIE_SECRET" "key" "cookieSecret") }}
- name: STORE_CORS
  value: {{ include "medusa.cors" (dict "ctx" . "extra" .Values.cors.store) | quote }}
- name: ADMIN_CORS
  value: {{ include "medusa.cors" (dict "ctx" . "extra" .Values.cors.admin) | quote }}
- name: AUTH_CORS
  value: {{ include "medusa.cors" (dict "ctx" . "extra" .Values.cors.auth) | quote }}
- name: MEDUSA_BACKEND_URL
  value: {{ .Values.store.url | trimSuffix "/" | quote }}
{{- end }}
