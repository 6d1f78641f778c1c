-- Schema version 17: the other half of people_share's rule (migration 016), so the pages can say
-- why a share is missing. people_exceed(part, whole): true when the part outnumbers a positive
-- whole, i.e. the two counts come from sources covering different people (319 daily AI users
-- over 100 people in the HR data); false otherwise, null when either count is null.
-- A stored macro, like people_share: one definition for the catalog, the trends and the Overview.

create or replace macro people_exceed(part, whole) as
    whole > 0 and part > whole;
