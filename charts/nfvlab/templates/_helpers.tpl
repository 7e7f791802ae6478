{{/* Common labels of every object of this release. */}}
{{- define "nfvlab.labels" -}}
{{ include "nfvlab.commonLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The common labels without the instance, for pod templates whose selector labels carry it (no duplicate keys). */}}
{{- define "nfvlab.commonLabels" -}}
app.kubernetes.io/part-of: nfvlab
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "nfvlab.agentSelector" -}}
app.kubernetes.io/name: nfvlab-agent
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "nfvlab.operatorSelector" -}}
app.kubernetes.io/name: nfvlab-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "nfvlab.operatorImage" -}}
{{ .Values.operator.image.repository }}:{{ .Values.operator.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "nfvlab.agentImage" -}}
{{ .Values.agent.image.repository }}:{{ .Values.agent.image.tag | default .Chart.AppVersion }}
{{- end -}}
