{{- /* Names and labels. */ -}}
{{- define "orderline.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}{{ .Release.Name | trunc 50 | trimSuffix "-" }}{{ else }}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" }}{{ end }}
{{- end -}}

{{- define "orderline.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/part-of: orderline
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- /* Selector labels of one component: (dict "root" $ "component" "<image name>"). */ -}}
{{- define "orderline.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- /* <registry>/<name>:<tag> for an application image name. (dict "root" $ "name" "worker") */ -}}
{{- define "orderline.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .name .root.Values.image.tag -}}
{{- end -}}

{{- /* Host of publicBaseUrl (what the ingress serves). */ -}}
{{- define "orderline.publicHost" -}}
{{- (urlParse .Values.publicBaseUrl).host | splitList ":" | first -}}
{{- end -}}

{{- /*
Connection variables every application pod gets (Postgres, NATS, Redis when `redis` is true, logs, traces).
(dict "root" $ "redis" true)
*/ -}}
{{- define "orderline.connectionEnv" -}}
{{- $root := .root -}}
{{- $full := include "orderline.fullname" $root -}}
{{- if eq $root.Values.postgres.mode "internal" }}
- name: POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ $root.Values.postgres.internal.passwordSecret.name }}, key: {{ $root.Values.postgres.internal.passwordSecret.key }} }
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(POSTGRES_PASSWORD)@%s-postgres:5432/%s" $root.Values.postgres.internal.user $full $root.Values.postgres.internal.database | quote }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef: { name: {{ $root.Values.postgres.external.urlSecret.name }}, key: {{ $root.Values.postgres.external.urlSecret.key }} }
{{- end }}
- name: NATS_URL
  value: {{ ternary (printf "nats://%s-nats:4222" $full) $root.Values.nats.external.url (eq $root.Values.nats.mode "internal") | quote }}
- name: NATS_SUBJECT_PREFIX
  value: {{ $root.Values.nats.subjectPrefix | quote }}
{{- if .redis }}
{{- if eq $root.Values.redis.mode "internal" }}
- name: REDIS_URL
  value: {{ printf "redis://%s-redis:6379" $full | quote }}
{{- else if $root.Values.redis.external.url }}
- name: REDIS_URL
  value: {{ $root.Values.redis.external.url | quote }}
{{- else }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef: { name: {{ $root.Values.redis.external.urlSecret.name }}, key: {{ $root.Values.redis.external.urlSecret.key }} }
{{- end }}
- name: REDIS_KEY_PREFIX
  value: {{ $root.Values.redis.keyPrefix | quote }}
{{- end }}
- name: LOG_LEVEL
  value: {{ $root.Values.telemetry.logLevel | quote }}
{{- with $root.Values.telemetry.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{- /* Variables from the referenced Secrets: (dict "root" $ "secrets" (list "twilio" ...)). */ -}}
{{- define "orderline.secretEnv" -}}
{{- $s := .root.Values.secrets -}}
{{- range .secrets }}
{{- if eq . "twilio" }}
- name: TWILIO_ACCOUNT_SID
  valueFrom: { secretKeyRef: { name: {{ $s.twilio.existingSecret }}, key: {{ $s.twilio.accountSidKey }} } }
- name: TWILIO_AUTH_TOKEN
  valueFrom: { secretKeyRef: { name: {{ $s.twilio.existingSecret }}, key: {{ $s.twilio.authTokenKey }} } }
{{- else if and (eq . "openai") $s.openai.existingSecret }}
- name: OPENAI_API_KEY
  valueFrom: { secretKeyRef: { name: {{ $s.openai.existingSecret }}, key: {{ $s.openai.apiKeyKey }} } }
{{- else if eq . "workerApiToken" }}
- name: WORKER_API_TOKEN
  valueFrom: { secretKeyRef: { name: {{ $s.workerApiToken.existingSecret }}, key: {{ $s.workerApiToken.key }} } }
{{- end }}
{{- end }}
{{- end -}}

{{- /* Pod-level settings shared by every pod the chart runs. */ -}}
{{- define "orderline.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.pods.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.pods.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.pods.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}

{{- /* Container security: non-root (the images' `node` user, uid 1000), read-only root, no privileges. */ -}}
{{- define "orderline.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
capabilities: { drop: [ALL] }
seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{- /* The migration command (and the demo seed when asked for), as one shell line. */ -}}
{{- define "orderline.migrateCommand" -}}
node packages/db/src/cli/migrate.ts latest{{ if .Values.migrations.seedDemoData }} && node packages/db/src/cli/seed.ts{{ end }}
{{- end -}}
