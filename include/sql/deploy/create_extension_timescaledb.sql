create extension if not exists timescaledb with schema public
