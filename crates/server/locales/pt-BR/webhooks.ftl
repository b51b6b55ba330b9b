nav-webhooks = Webhooks
webhooks-help = O cpor envia por POST cada evento escolhido para a sua URL, em JSON, assinado no padrão Standard Webhooks: verifique o cabeçalho webhook-signature (HMAC-SHA256 de webhook-id, webhook-timestamp e do corpo, com o segredo) e descarte repetições pelo webhook-id. Uma entrega que falha é tentada de novo por 24 horas; um endpoint que falha por 24 horas é desativado e você recebe um e-mail.
webhook-secret-shown-once = Copie este segredo de assinatura agora: ele só é mostrado esta vez.
webhooks-none = Nenhum endpoint de webhook ainda.
field-url = URL
field-events = Eventos
field-event-type = Evento
webhook-state = Estado
webhook-enabled = Ativado
webhook-disabled = Desativado: { $why }
webhook-failing-since = Ativado, falhando desde { $since }
webhook-disable = Desativar
webhook-enable = Ativar
webhook-remove = Remover
webhook-new-heading = Novo endpoint
webhook-create = Adicionar o endpoint
webhook-deliveries = Últimas entregas
webhook-no-deliveries = Nada foi enviado a este endpoint ainda.
webhook-queued = Na fila
webhook-status = Status
webhook-attempts = Tentativas
webhook-last-answer = Última resposta
webhook-answer = { $answer } em { $ms } ms
webhook-redeliver = Enviar de novo
delivery-pending = Pendente
delivery-delivered = Entregue
delivery-failed = Abandonada
mail-webhook-disabled-subject = Um endpoint de webhook do cpor foi desativado
mail-webhook-disabled-body =
    O seu endpoint de webhook { $url } falha em todas as entregas desde { $since }, por isso o cpor o desativou.

    As mensagens dele estão guardadas. Quando o receptor voltar a funcionar, ative o endpoint aqui e elas serão enviadas:
    { $link }
