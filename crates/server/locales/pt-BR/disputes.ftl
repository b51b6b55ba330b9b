# Fila de contestações do suporte.
nav-disputes = Contestações
disputes-heading = Contestações
disputes-caption = Contestações abertas e em andamento, o prazo mais antigo primeiro. Uma contestação é tratada na página da sua declaração.
disputes-empty = Nenhuma contestação aberta.
disputes-opened = Aberta em
dispute-status-open = Aberta
dispute-status-in_progress = Em andamento
dispute-status-upheld = Procedente
dispute-status-denied = Improcedente
