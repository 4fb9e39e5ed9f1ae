{{/* Name of every object of the release. */}}
{{- define "ramparts-agent.fullname" -}}
{{- if eq .Release.Name "ramparts-agent" -}}
ramparts-agent
{{- else -}}
{{- printf "%s-ramparts-agent" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ramparts-agent.labels" -}}
app.kubernetes.io/name: ramparts-agent
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: agent
app.kubernetes.io/part-of: ramparts
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "ramparts-agent.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/* Minute derived from release name and namespace: a stable per-install jitter. */}}
{{- define "ramparts-agent.schedule" -}}
{{- if .Values.schedule -}}
{{ .Values.schedule }}
{{- else -}}
{{ mod (adler32sum (printf "%s/%s" .Release.Namespace .Release.Name)) 60 }} */{{ .Values.intervalHours }} * * *
{{- end -}}
{{- end -}}
