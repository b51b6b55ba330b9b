# E-mails about claims (src/mail/render.rs). Arguments most messages take: $claim (the
# claim's name), $domain (the customer's domain), $partner (the partner organisation).

mail-no-date = (nenhuma data definida)
mail-product-subscription = { $product } (assinatura { $subscription })
mail-claim-link = Solicitação: { $link }
mail-reviewer-comment = Comentário do revisor:
mail-support-comment = Comentário do suporte:
mail-footer = Esta mensagem foi enviada pelo serviço de solicitações do operador do programa (cpor).

mail-consent-request-subject = { $partner } pede para ser reconhecido como seu parceiro para { $domain }
mail-consent-request-greeting = Olá, { $customer },
mail-consent-request-intro = { $partner } pediu para ser reconhecido como o parceiro que ajudou { $domain } com:
mail-consent-request-data = Se você concordar, não é preciso fazer nada. A partir de { $window_end }, a associação se torna oficial e { $partner } verá dados de uso e de licenças somente dessas cargas de trabalho e assinaturas: nenhum e-mail, documento ou outro conteúdo seu.
mail-consent-request-opt-out = Para ver os detalhes ou recusar antes dessa data ({ $window_end }), abra:
mail-consent-request-no-link = (o link será enviado em uma mensagem separada)
mail-consent-request-later = Você também pode recusar depois pelo mesmo link; a associação é então encerrada.

mail-information-requested-subject = Ação necessária na sua solicitação "{ $claim }"
mail-information-requested-body = Sua solicitação "{ $claim }" para { $domain } precisa de uma ação sua.
mail-information-requested-reasons = O revisor pede: { $reasons }.
mail-information-requested-deadline = Responda até { $due }: adicione o que está faltando e reenvie a solicitação. Sem resposta até lá, a solicitação será rejeitada (sem resposta do parceiro).

mail-response-reminder-subject = Lembrete: sua solicitação "{ $claim }" precisa de resposta até { $due }
mail-response-reminder-body = Sua solicitação "{ $claim }" para { $domain } ainda aguarda sua resposta.
mail-response-reminder-reasons = O revisor pediu: { $reasons }.
mail-response-reminder-deadline = Reenvie-a até { $due }, ou ela será rejeitada (sem resposta do parceiro).

mail-approved-subject = Sua solicitação "{ $claim }" foi aprovada
mail-approved-body = Sua solicitação "{ $claim }" para { $domain } foi aprovada.
mail-approved-window = O cliente foi informado e pode recusar até { $window_end }. Depois disso, a associação se torna oficial e é enviada para a avaliação de elegibilidade a incentivos.

mail-rejected-subject = Sua solicitação "{ $claim }" foi rejeitada
mail-rejected-body = Sua solicitação "{ $claim }" para { $domain } foi rejeitada.
mail-rejected-reasons = Motivos: { $reasons }.
mail-rejected-dispute = Se você acha que isso está errado, pode contestar a rejeição em até { $days } dias.

mail-superseded-subject = Sua associação "{ $claim }" foi encerrada
mail-superseded-body = Sua associação "{ $claim }" para { $domain } foi encerrada.
mail-superseded-why = Outro parceiro reivindicou a mesma carga de trabalho ou assinatura do cliente e, depois de comparar as provas de execução dos dois parceiros, o revisor aprovou a solicitação dele.

mail-association-ended-subject = O cliente encerrou sua associação "{ $claim }"
mail-association-ended-body = O cliente { $domain } recusou sua associação "{ $claim }".
mail-association-ended-done = A associação foi encerrada.

mail-dispute-resolved-subject = Sua contestação de "{ $claim }" foi resolvida
mail-dispute-resolved-body = Sua contestação da solicitação "{ $claim }" para { $domain } foi resolvida: { $outcome }.
mail-partly-superseded-subject = Parte da sua associação "{ $claim }" passou para outro parceiro
mail-partly-superseded-body = Outro parceiro declarou algumas das mesmas cargas de trabalho ou assinaturas do cliente { $domain } e, após comparar as provas de execução dos dois parceiros, o revisor aprovou a declaração dele para:
mail-partly-superseded-keep = Sua associação mantém as demais cargas de trabalho e assinaturas da declaração.
mail-dispute-opened-subject = Contestação aberta: "{ $claim }"
mail-dispute-opened-body = { $partner } contesta a rejeição da declaração "{ $claim }" para { $domain }.
mail-dispute-opened-details = O que o parceiro diz:
mail-dispute-opened-due = A contestação deve ser resolvida até { $due }.
mail-arbitration-question-subject = Um revisor pergunta sobre sua associação "{ $claim }"
mail-arbitration-question-body = Outra declaração inclui parte do que sua associação "{ $claim }" para { $domain } detém. Antes de decidir, o revisor pede mais informações. Enquanto isso, sua associação permanece como está.
mail-arbitration-question-how = Adicione seus documentos à declaração e responda na página dela.
mail-comment-added-subject = Um novo comentário em "{ $claim }"
mail-comment-added-body = Há um novo comentário na solicitação "{ $claim }" para { $domain }.
mail-comment-heading = Comentário:
mail-taken-over-subject = "{ $claim }" foi assumida por outro revisor
mail-taken-over-body = Outro revisor assumiu a solicitação "{ $claim }" para { $domain }. Ela não está mais com você.
mail-arbitration-opened-subject = "{ $claim }": uma arbitragem foi aberta
mail-arbitration-opened-claimant = A sua solicitação "{ $claim }" para { $domain } indica produtos ou assinaturas que a associação de outro parceiro detém.
mail-arbitration-opened-claimant-then = Um revisor decidirá entre as duas; se a sua solicitação for aprovada, essas chaves passam para ela. Podem pedir mais provas enquanto isso.
mail-arbitration-opened-holder = Outro parceiro reivindicou alguns produtos ou assinaturas da sua associação "{ $claim }" para { $domain }.
mail-arbitration-opened-holder-then = Um revisor decidirá; a sua associação continua como está enquanto isso. Podem pedir mais provas; responder ajuda a mantê-la.
