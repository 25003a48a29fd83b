{{- define "woocommerce.mariadbHost" -}}
{{- printf "%s-mariadb" (include "store-common.fullname" .) }}
{{- end }}

{{/* Apache listens here: unprivileged, so WordPress runs as www-data (uid 33) under Pod Security "restricted". */}}
{{- define "woocommerce.httpPort" -}}8080{{- end }}

{{/* Database env shared by WordPress and the WP-CLI setup Job (read by wp-config.php). */}}
{{- define "woocommerce.wordpressEnv" -}}
- name: WORDPRESS_DB_HOST
  value: {{ printf "%s:3306" (include "woocommerce.mariadbHost" .) | quote }}
- name: WORDPRESS_DB_NAME
  value: wordpress
- name: WORDPRESS_DB_USER
  value: wordpress
{{ include "store-common.secretEnv" (dict "ctx" . "name" "WORDPRESS_DB_PASSWORD" "key" "databasePassword") }}
{{- end }}
