-- Category ids whose names are cached (videoCategories.list is asked only for others).
select category_id from analytics.youtube_video_category
