# Consulta de ganhos e elegibilidade.
nav-eligibility = Elegibilidade
eligibility-heading = Ganhos e elegibilidade
eligibility-help = Consulte um ID de assinatura ou um ID do locatário para ver suas associações com ele: o programa, a fase e as datas em que contou.
eligibility-id = ID da assinatura ou ID do locatário
eligibility-look-up = Consultar
eligibility-bad-id = Um ID de assinatura ou de locatário é um GUID, como 72f988bf-86f1-41af-91ab-2d7cd011db47.
eligibility-none = Nenhuma associação tem este ID.
eligibility-what = Carga de trabalho ou assinatura
eligibility-from = Conta desde
eligibility-to = Contou até
