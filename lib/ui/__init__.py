"""The only part of lib that imports streamlit: cached data access, filters and layout."""
