insert into analytics.experiment_variant (
    experiment_id, variant, title, thumbnail_url, thumbnail_image, thumbnail_type
)
values (
    %(experiment_id)s, %(variant)s, %(title)s, %(thumbnail_url)s, %(thumbnail_image)s,
    %(thumbnail_type)s
)
on conflict (experiment_id, variant) do update
    set
        title = excluded.title,
        thumbnail_url = excluded.thumbnail_url,
        thumbnail_image = excluded.thumbnail_image,
        thumbnail_type = excluded.thumbnail_type
