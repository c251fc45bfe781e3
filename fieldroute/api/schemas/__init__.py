"""API schemas, kept apart from the tables: Create / Update / Public per resource."""
