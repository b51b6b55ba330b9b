# Comum a todas as páginas: navegação, erros, datas.
skip-to-content = Ir para o conteúdo
nav-main = Navegação principal
nav-claims = Associações de clientes
nav-new-claim = Nova associação de cliente
nav-keys = Verificação de chaves de associação
nav-organisation = Organização
nav-language = Idioma
sign-out = Sair
footer-times = Os horários são exibidos no fuso { $zone }.
back-home = Voltar à página inicial

datetime = { $day } de { $month } de { $year }, { $time } ({ $zone })
date = { $day } de { $month } de { $year }
month-1 = janeiro
month-2 = fevereiro
month-3 = março
month-4 = abril
month-5 = maio
month-6 = junho
month-7 = julho
month-8 = agosto
month-9 = setembro
month-10 = outubro
month-11 = novembro
month-12 = dezembro

role-global_admin = Administrador global
role-incentives_admin = Administrador de incentivos
role-incentives_user = Usuário de incentivos
role-billing_admin = Administrador de cobrança
role-reviewer = Revisor
role-support_agent = Agente de suporte
role-program_admin = Administrador do programa

page-not-found-heading = Página não encontrada
page-not-found-text = Não há nada aqui, ou você não tem permissão para ver.
page-forbidden-heading = Não permitido
page-forbidden-text = Sua função não permite esta ação.
page-bad-form-heading = Não foi possível aceitar o formulário
page-bad-form-text = O formulário expirou ou foi enviado de outro site. Volte, recarregue a página e tente novamente.
page-conflict-heading = Não é possível fazer isso agora
page-conflict-text = A declaração foi alterada ou não permite esta ação no status atual. Volte e recarregue-a.
page-unavailable-heading = Temporariamente indisponível
page-unavailable-text = O serviço não consegue acessar o banco de dados. Tente novamente em instantes.
page-failed-heading = Algo deu errado
page-failed-text = O erro foi registrado. Tente novamente ou, se ele se repetir, entre em contato com o operador do seu programa.
