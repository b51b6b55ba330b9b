# O lado do operador na página de uma declaração.
decide-heading = Análise e decisões
action-start-review = Iniciar a análise
action-request-info = Solicitar informações
action-approve = Aprovar
action-reject = Rejeitar
action-start-dispute = Assumir a contestação
action-resolve-dispute = Resolver a contestação
field-outcome = Resultado
facts-heading = Parceiro e locatário
fact-partner = Organização parceira
fact-domains = Domínios verificados
fact-subscription = Assinatura ({ $product })
fact-tenant-unknown = O locatário não está no diretório.
preview-of = Visualização de { $name }
notice-start = A análise foi iniciada.
notice-request_info = Foram solicitadas informações ao parceiro.
notice-approve = A declaração foi aprovada; o cliente está sendo notificado.
notice-reject = A declaração foi rejeitada.
notice-dispute_start = A contestação agora está em andamento.
notice-dispute_resolve = A contestação foi resolvida.

# A fila de análise.
review-heading = Fila de análise
review-caption = Declarações enviadas e em análise, com os prazos mais antigos primeiro.
review-empty = Nenhuma declaração aguarda análise.
review-show = Mostrar apenas
review-conflict = Conflito
review-age = Aguardando há
review-due = Prazo
review-sla = Nível de serviço
sla-breached = Violado
sla-due-today = Vence hoje
sla-on-time = No prazo
age-days = { $count ->
    [one] { $count } dia
   *[other] { $count } dias
}
field-product = Produto
nav-review = Fila de análise
action-take = Assumir
action-take-over = Transferir para mim
reviewer-has = { $name } está trabalhando nesta declaração.
notice-take = Você assumiu a declaração.
notice-take_over = A declaração foi transferida para você.
review-who = Revisor
review-mine = Minhas
review-unassigned = Não assumida

# Mais da lista de declarações.
filter-updated-from = Alterada desde
filter-updated-to = Alterada até
filter-sort = Ordem
sort-newest = Mais recentes primeiro
sort-last_change = Última alteração primeiro
sort-name = Por nome
filter-product = produto
filter-updated_from = alterada desde
filter-updated_to = alterada até

# Arbitragem.
arbitration-heading = Declarações concorrentes
arbitration-help = Outros parceiros querem ou detêm parte do que esta declaração indica. Compare as provas de execução deles (a mais recente pesa mais) antes de decidir; você pode solicitar informações a qualquer um dos parceiros.
arbitration-holds = detém atualmente
arbitration-contested = contestado
arbitration-confirm-legend = Arbitragem
arbitration-confirm = Confirmo que a aprovação retira estes itens do outro parceiro:
arbitration-loses = { $partner } perde { $keys } (declaração "{ $claim }")
mail-digest-subject = { $count ->
    [one] Uma solicitação da fila de revisão está vencendo
   *[other] { $count } solicitações da fila de revisão estão vencendo
}
mail-digest-intro = Solicitações da fila de revisão atrasadas ou com prazo até o fim do próximo dia útil: { $count }, das quais { $breached } atrasadas.
mail-digest-due = "{ $claim }" ({ $domain }), prazo { $due }
mail-digest-breached = "{ $claim }" ({ $domain }), ATRASADA desde { $due }
mail-digest-opt-out = Você recebe isto toda manhã de dia útil. Desative na página da fila de revisão: { $link }
review-digest-on = Toda manhã de dia útil você recebe um e-mail com as solicitações vencendo ou atrasadas.
review-digest-off = O seu e-mail diário de solicitações vencendo está desativado.
review-digest-turn-off = Desativar
review-digest-turn-on = Ativar
