"""Exports of the (filtered) locations: a self-contained HTML map (folium), later CSV and more."""
