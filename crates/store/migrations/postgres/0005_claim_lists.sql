-- Claim lists in more orders and with more filters. `name_key` is what the name order
-- compares (the name in lower case, in byte order; filled here for ASCII, and by the
-- migration code for other names). Each order has an index that ends in id, with and
-- without the organisation, so a page walks its own rows only.
ALTER TABLE claims ADD COLUMN name_key TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE claims SET name_key = lower(name COLLATE "C");
CREATE INDEX claims_org_updated ON claims(org_id, updated_at, id);
CREATE INDEX claims_updated ON claims(updated_at, id);
CREATE INDEX claims_org_name ON claims(org_id, name_key, id);
CREATE INDEX claims_name ON claims(name_key, id);

-- A claim's product lines, written with its row in the command's transaction: the product
-- filter and the subscription ID search read them.
CREATE TABLE claim_products (
    claim_id         TEXT COLLATE "C" NOT NULL,
    line             INTEGER NOT NULL,
    product          TEXT NOT NULL,
    subscription_id  TEXT COLLATE "C",
    PRIMARY KEY (claim_id, line)
);
CREATE INDEX claim_products_product ON claim_products(product, claim_id);
CREATE INDEX claim_products_subscription ON claim_products(subscription_id, claim_id)
    WHERE subscription_id IS NOT NULL;
INSERT INTO claim_products (claim_id, line, product, subscription_id)
SELECT c.id, (p.ord - 1)::int, p.value ->> 'product', p.value ->> 'subscription_id'
FROM claims c,
     jsonb_array_elements(c.state::jsonb -> 'fields' -> 'products') WITH ORDINALITY AS p(value, ord);
