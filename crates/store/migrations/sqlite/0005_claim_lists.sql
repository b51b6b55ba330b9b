-- Claim lists in more orders and with more filters. `name_key` is what the name order
-- compares (the name in lower case; filled here for ASCII, and by the migration code for
-- other names, which SQL lower() leaves as they are). Each order has an index that ends
-- in id, with and without the organisation, so a page walks its own rows only.
ALTER TABLE claims ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE claims SET name_key = lower(name);
CREATE INDEX claims_org_updated ON claims(org_id, updated_at, id);
CREATE INDEX claims_updated ON claims(updated_at, id);
CREATE INDEX claims_org_name ON claims(org_id, name_key, id);
CREATE INDEX claims_name ON claims(name_key, id);

-- A claim's product lines, written with its row in the command's transaction: the product
-- filter and the subscription ID search read them.
CREATE TABLE claim_products (
    claim_id         TEXT NOT NULL,
    line             INTEGER NOT NULL,
    product          TEXT NOT NULL,
    subscription_id  TEXT,
    PRIMARY KEY (claim_id, line)
) WITHOUT ROWID;
CREATE INDEX claim_products_product ON claim_products(product, claim_id);
CREATE INDEX claim_products_subscription ON claim_products(subscription_id, claim_id)
    WHERE subscription_id IS NOT NULL;
INSERT INTO claim_products (claim_id, line, product, subscription_id)
SELECT c.id, p.key, json_extract(p.value, '$.product'), json_extract(p.value, '$.subscription_id')
FROM claims c, json_each(c.state, '$.fields.products') p;
