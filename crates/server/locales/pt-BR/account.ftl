# Entrada, senhas, convites.
login-heading = Entrar no cpor
field-email = E-mail
field-password = Senha
sign-in = Entrar
forgot-link = Esqueceu sua senha?
login-failed = O e-mail ou a senha está incorreto.
login-throttled = Muitas tentativas. Aguarde alguns minutos e tente novamente.
notice-password-set = Sua senha foi definida. Entre com ela.
notice-signed-out = Você saiu da sua conta em todos os dispositivos.
notice-reset-sent = Se houver uma conta com esse endereço, enviamos a ela um link para definir uma nova senha. O link funciona uma única vez, durante uma hora.
forgot-heading = Definir uma nova senha
forgot-text = Informe o endereço de e-mail da sua conta. Enviaremos um link para definir uma nova senha.
forgot-send = Enviar o link
back-to-sign-in = Voltar para a entrada
reset-heading = Definir uma nova senha
invitation-heading = Boas-vindas ao cpor: escolha sua senha
field-new-password = Nova senha
field-confirm-password = Repita a nova senha
password-rule = No mínimo { $min } caracteres.
set-password = Definir a senha
password-too-short = A senha é curta demais.
password-too-long = A senha é longa demais.
password-mismatch = As duas senhas são diferentes.
link-dead = Este link não funciona mais: ele já foi usado ou expirou. Solicite um novo.
mail-reset-subject = Definir uma nova senha do cpor
mail-reset-body =
    Alguém pediu para definir uma nova senha para a sua conta do cpor.

    Abra este link para escolhê-la (ele funciona uma única vez, durante uma hora):
    { $link }

    Se não foi você, ignore este e-mail: sua senha continua a mesma.
mail-invitation-subject = Sua conta do cpor
mail-invitation-body =
    Uma conta foi criada para você no cpor, o portal de associações de clientes.

    Abra este link para escolher sua senha (ele funciona uma única vez, durante 72 horas):
    { $link }
