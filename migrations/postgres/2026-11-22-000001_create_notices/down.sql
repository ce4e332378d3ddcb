DROP TABLE notice_areas;
DROP TABLE notices;
DROP TABLE areas;
