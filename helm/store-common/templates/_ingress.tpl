{{/*
The store's Ingress: store.host -> the web Service's "http" port.
Call with (dict "ctx" $ "component" "wordpress" "service" "acme-wordpress").
No annotations: ingress-controller snippets are not a tenant setting.
*/}}
{{- define "store-common.ingress" -}}
{{- $ctx := .ctx }}
{{- if $ctx.Values.ingress.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "store-common.fullname" $ctx | quote }}
  labels:
    {{- include "store-common.componentLabels" (dict "ctx" $ctx "component" .component) | nindent 4 }}
spec:
  {{- with $ctx.Values.ingress.className }}
  ingressClassName: {{ . | quote }}
  {{- end }}
  rules:
    - host: {{ $ctx.Values.store.host | quote }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {{ .service | quote }}
                port:
                  name: http
{{- end }}
{{- end }}
