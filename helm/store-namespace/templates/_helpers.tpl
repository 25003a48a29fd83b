{{/* The store namespace; the release namespace must be exactly this (guard in namespace.yaml). */}}
{{- define "store-namespace.namespace" -}}
{{- printf "store-%s" .Values.store.name }}
{{- end }}

{{/* Labels of every object this chart renders (applied by the control plane, not a Helm release). */}}
{{- define "store-namespace.labels" -}}
app.kubernetes.io/managed-by: store-provisioning
app.kubernetes.io/part-of: {{ include "store-namespace.namespace" . | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
store-provisioning.io/store: {{ .Values.store.name | quote }}
store-provisioning.io/store-id: {{ .Values.store.id | quote }}
{{- end }}

{{- define "store-namespace.isolationLabels" -}}
{{ include "store-namespace.labels" . }}
app.kubernetes.io/component: tenant-isolation
{{- end }}

{{/* Selector of one component of the store's release: (dict "ctx" $ "component" "wordpress"). */}}
{{- define "store-namespace.podLabels" -}}
app.kubernetes.io/name: {{ .ctx.Values.store.engine | quote }}
app.kubernetes.io/instance: {{ .ctx.Values.store.name | quote }}
app.kubernetes.io/component: {{ .component | quote }}
{{- end }}

{{/* Selector of several components of the store's release: (dict "ctx" $ "components" (list "wordpress" "setup")). */}}
{{- define "store-namespace.podsIn" -}}
matchLabels:
  app.kubernetes.io/name: {{ .ctx.Values.store.engine | quote }}
  app.kubernetes.io/instance: {{ .ctx.Values.store.name | quote }}
matchExpressions:
  - key: app.kubernetes.io/component
    operator: In
    values: {{ .components | toJson }}
{{- end }}

{{/*
What the store's pods are, per engine: the web component and its port (must match the
tenant chart: woocommerce Apache :8080, medusa server :9000), the components that call
the web pod from inside the namespace, and each data store with its port and clients.
PlatformChartTests check these against the rendered tenant charts.
*/}}
{{- define "store-namespace.topology" -}}
{{- if eq .Values.store.engine "woocommerce" -}}
web: {component: wordpress, port: 8080}
webClients: [test]
dataStores:
  - {component: mariadb, port: 3306, clients: [wordpress, setup]}
internetEgress: [setup]
{{- else if eq .Values.store.engine "medusa" -}}
web: {component: server, port: 9000}
webClients: [admin-user, test]
dataStores:
  - {component: postgresql, port: 5432, clients: [server, admin-user]}
  - {component: redis, port: 6379, clients: [server, admin-user]}
internetEgress: []
{{- else -}}
{{- fail (printf "store.engine must be woocommerce or medusa") -}}
{{- end -}}
{{- end }}
