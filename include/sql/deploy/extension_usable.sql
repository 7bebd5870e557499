-- Whether the server can run an extension, asked without trying it: on a server where
-- timescaledb is installed but not preloaded, `create extension` raises FATAL and closes
-- the connection, savepoint or not. pg_settings hides the preload list from roles that
-- may not read it; such a role could not create the extension anyway.
with preloaded as (
    select trim(both ' "' from library) as library
    from pg_settings,
        regexp_split_to_table(setting, ',') as library
    where name = 'shared_preload_libraries'
)

select
    exists (
        select from pg_extension
        where extname = %(name)s
    )
    or (
        exists (
            select from pg_available_extensions
            where name = %(name)s
        )
        and exists (
            select from preloaded
            where library = %(name)s
        )
    ) as usable
