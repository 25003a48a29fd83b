{{- define "cp.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cp.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
{{- end -}}

{{/* Selector labels of one component: functions, dashboard, azurite. */}}
{{- define "cp.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name | quote }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "cp.serviceAccountName" -}}
{{- default (include "cp.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* Cluster-scoped names carry the release namespace, so two installs in different namespaces do not collide. */}}
{{- define "cp.clusterName" -}}
{{- printf "%s-%s" .Release.Namespace (include "cp.fullname" .) | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{/* The ClusterRole bound in every store namespace by a RoleBinding the control plane creates. */}}
{{- define "cp.storeNamespaceRole" -}}
{{- printf "%s-store-namespace" (include "cp.clusterName" .) -}}
{{- end -}}

{{- define "cp.functionsImage" -}}
{{- printf "%s:%s" .Values.image.functions.repository (default .Chart.AppVersion .Values.image.functions.tag) -}}
{{- end -}}

{{- define "cp.dashboardImage" -}}
{{- printf "%s:%s" .Values.image.dashboard.repository (default .Chart.AppVersion .Values.image.dashboard.tag) -}}
{{- end -}}

{{- define "cp.azuriteSecretName" -}}
{{- printf "%s-azurite" (include "cp.fullname" .) -}}
{{- end -}}

{{/* Pod-level securityContext of the restricted Pod Security Standard. */}}
{{- define "cp.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level securityContext of the restricted Pod Security Standard, read-only root filesystem. */}}
{{- define "cp.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}
