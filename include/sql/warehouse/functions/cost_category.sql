-- The cost category of a cost type: ai_generation, voice_synthesis -> AI; api_calls -> API; the rest -> infrastructure.
create or replace function analytics.cost_category(p_cost_type text)
returns text
language sql immutable parallel safe
as $$
    select case
        when p_cost_type in ('ai_generation', 'voice_synthesis') then 'ai'
        when p_cost_type = 'api_calls' then 'api'
        else 'infrastructure'
    end
$$;
