{{/* Chart name, truncated to the 63 characters Kubernetes names allow. */}}
{{- define "agents-platform.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; components append -web, -worker-<name>, -beat, -migrate. */}}
{{- define "agents-platform.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "agents-platform.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "agents-platform.labels" -}}
helm.sh/chart: {{ include "agents-platform.chart" . }}
app.kubernetes.io/name: {{ include "agents-platform.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component: include with (dict "root" $ "component" "web"). */}}
{{- define "agents-platform.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agents-platform.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "agents-platform.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "agents-platform.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "agents-platform.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Secret the pods read: the operator's existing one, or the chart's. */}}
{{- define "agents-platform.secretName" -}}
{{- default (printf "%s-secrets" (include "agents-platform.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{/* The non-secret settings as a YAML map; ALLOWED_HOSTS keeps localhost for the probes. */}}
{{- define "agents-platform.config" -}}
{{- $config := deepCopy .Values.config }}
{{- $hosts := splitList "," (default "" (get $config "ALLOWED_HOSTS")) | compact }}
{{- if not (has "localhost" $hosts) }}
{{- $hosts = append $hosts "localhost" }}
{{- end }}
{{- $_ := set $config "ALLOWED_HOSTS" (join "," $hosts) }}
{{- $_ := set $config "DATA_DIR" "/data" }}
{{- range $key, $value := $config }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* The secret settings as a YAML map (only the ones that are set). */}}
{{- define "agents-platform.secretData" -}}
{{- $secrets := .Values.secrets }}
SECRET_KEY: {{ required "secrets.SECRET_KEY is required (or set secrets.existingSecret)" $secrets.SECRET_KEY | b64enc | quote }}
DATABASE_URL: {{ required "secrets.DATABASE_URL is required (or set secrets.existingSecret)" $secrets.DATABASE_URL | b64enc | quote }}
REDIS_URL: {{ required "secrets.REDIS_URL is required (or set secrets.existingSecret)" $secrets.REDIS_URL | b64enc | quote }}
ENCRYPTION_KEYS: {{ required "secrets.ENCRYPTION_KEYS is required (or set secrets.existingSecret)" $secrets.ENCRYPTION_KEYS | b64enc | quote }}
{{- if $secrets.DATABASE_REPLICA_URL }}
DATABASE_REPLICA_URL: {{ $secrets.DATABASE_REPLICA_URL | b64enc | quote }}
{{- end }}
{{- range $key, $value := $secrets.extra }}
{{ $key }}: {{ $value | toString | b64enc | quote }}
{{- end }}
{{- end }}

{{/* Environment of every platform container. */}}
{{- define "agents-platform.envFrom" -}}
- configMapRef:
    name: {{ include "agents-platform.fullname" . }}-config
- secretRef:
    name: {{ include "agents-platform.secretName" . }}
{{- end }}

{{/* Rolls the pods when the settings change. */}}
{{- define "agents-platform.checksums" -}}
checksum/config: {{ include "agents-platform.config" . | sha256sum }}
{{- if not .Values.secrets.existingSecret }}
checksum/secrets: {{ include "agents-platform.secretData" . | sha256sum }}
{{- end }}
{{- end }}

{{/* Pod-level fields shared by every component. */}}
{{- define "agents-platform.podCommon" -}}
serviceAccountName: {{ include "agents-platform.serviceAccountName" . }}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  # The root filesystem is read-only: scratch space and DATA_DIR live in emptyDirs.
  - name: tmp
    emptyDir: {}
  - name: data
    emptyDir: {}
{{- end }}

{{/* Container-level fields shared by every component. */}}
{{- define "agents-platform.containerCommon" -}}
image: {{ include "agents-platform.image" . }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  - name: data
    mountPath: /data
{{- end }}
