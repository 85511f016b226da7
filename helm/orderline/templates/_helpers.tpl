{{- define "orderline.fullname" -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "orderline.labels" -}}
app.kubernetes.io/part-of: orderline
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
{{- define "orderline.image" -}}{{ printf "%s/%s:%s" .root.Values.image.registry .component.image .root.Values.image.tag }}{{- end -}}
{{- define "orderline.commonEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.infrastructure.databaseUrlSecret.name }}
      key: {{ .Values.infrastructure.databaseUrlSecret.key }}
- name: REDIS_URL
  value: {{ .Values.infrastructure.redisUrl | quote }}
- name: NATS_URL
  value: {{ .Values.infrastructure.natsUrl | quote }}
- name: LOG_LEVEL
  value: {{ .Values.telemetry.logLevel | quote }}
{{- with .Values.telemetry.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end -}}
