-- An organisation's language: what its customers' and partners' e-mails speak when
-- nobody chose one.
ALTER TABLE organisations ADD COLUMN language TEXT;
