-- =====================================================================================
-- Orleans 10.x ADO.NET schema for PostgreSQL (Main + Clustering + Persistence + Reminders)
--
-- Idempotent: safe to run any number of times against the same database
--   psql -v ON_ERROR_STOP=1 -f orleans.sql
--
-- Written from the upstream dotnet/orleans scripts under src/AdoNet/:
--   Shared/PostgreSQL-Main.sql
--   Orleans.Clustering.AdoNet/PostgreSQL-Clustering.sql (+ Migrations 3.6.0, 3.7.0 and the
--     "AtomicWrites" membership update shipped with the 10.x providers)
--   Orleans.Persistence.AdoNet/PostgreSQL-Persistence.sql (incl. DeleteStorageKey)
--   Orleans.Reminders.AdoNet/PostgreSQL-Reminders.sql (+ Migrations 3.6.0)
--
-- Objects are created unqualified (search_path, normally "public"), because the
-- providers issue unqualified statements ("SELECT QueryKey, QueryText FROM OrleansQuery").
--
-- Contract (do not change without checking the provider sources): column names/types
-- returned by queries, @Parameter names used in OrleansQuery.QueryText, and the
-- QueryKey values:
--   Clustering : UpdateIAmAlivetimeKey, InsertMembershipVersionKey, InsertMembershipKey,
--                UpdateMembershipKey, MembershipReadRowKey, MembershipReadAllKey,
--                DeleteMembershipTableEntriesKey, GatewaysQueryKey,
--                CleanupDefunctSiloEntriesKey, CleanupDefunctSiloEntryKey (optional in 10.4)
--   Persistence: WriteToStorageKey, ReadFromStorageKey, ClearStorageKey,
--                DeleteStorageKey (only used with DeleteStateOnClear = true)
--   Reminders  : UpsertReminderRowKey, ReadReminderRowsKey, ReadReminderRowKey,
--                ReadRangeRows1Key, ReadRangeRows2Key, DeleteReminderRowKey,
--                DeleteReminderRowsKey
--
-- Providers load OrleansQuery once at start-up: restart silos/clients after re-running.
-- =====================================================================================

BEGIN;

-- Hide the "already exists, skipping" / "%TYPE converted" notices (transaction-local).
SET LOCAL client_min_messages = warning;

-- Serialize concurrent runs of this script (e.g. several app instances migrating at once).
DO $lock$ BEGIN PERFORM pg_advisory_xact_lock(hashtext('orleans-adonet-schema')); END $lock$;

-- -------------------------------------------------------------------------------------
-- Main
-- -------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

-- -------------------------------------------------------------------------------------
-- Clustering (membership)
-- -------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Upgrade path for databases created by pre-3.6.0 scripts (timestamp -> timestamptz, UTC).
-- No-op when the columns already are timestamptz.
DO $upgrade$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'orleansmembershipversiontable'
                 AND column_name = 'timestamp' AND data_type = 'timestamp without time zone') THEN
        ALTER TABLE OrleansMembershipVersionTable
            ALTER COLUMN Timestamp TYPE timestamptz(3) USING Timestamp AT TIME ZONE 'UTC';
    END IF;
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'orleansmembershiptable'
                 AND column_name = 'starttime' AND data_type = 'timestamp without time zone') THEN
        ALTER TABLE OrleansMembershipTable
            ALTER COLUMN StartTime TYPE timestamptz(3) USING StartTime AT TIME ZONE 'UTC';
    END IF;
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'orleansmembershiptable'
                 AND column_name = 'iamalivetime' AND data_type = 'timestamp without time zone') THEN
        ALTER TABLE OrleansMembershipTable
            ALTER COLUMN IAmAliveTime TYPE timestamptz(3) USING IAmAliveTime AT TIME ZONE 'UTC';
    END IF;
END
$upgrade$;

-- Heartbeat. Return value is not checked by Orleans.
CREATE OR REPLACE FUNCTION update_i_am_alive_time(
    deployment_id   OrleansMembershipTable.DeploymentId%TYPE,
    address_arg     OrleansMembershipTable.Address%TYPE,
    port_arg        OrleansMembershipTable.Port%TYPE,
    generation_arg  OrleansMembershipTable.Generation%TYPE,
    i_am_alive_time OrleansMembershipTable.IAmAliveTime%TYPE)
RETURNS void
LANGUAGE plpgsql
AS $func$
BEGIN
    UPDATE OrleansMembershipTable AS d
       SET IAmAliveTime = i_am_alive_time
     WHERE d.DeploymentId = deployment_id
       AND d.Address      = address_arg
       AND d.Port         = port_arg
       AND d.Generation   = generation_arg;
END
$func$;

-- Returns 1 when the version row was created, 0 when it already existed.
CREATE OR REPLACE FUNCTION insert_membership_version(
    DeploymentIdArg OrleansMembershipTable.DeploymentId%TYPE)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    RowCountVar int := 0;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    SELECT DeploymentIdArg
    ON CONFLICT (DeploymentId) DO NOTHING;

    GET DIAGNOSTICS RowCountVar = ROW_COUNT;

    RETURN QUERY SELECT RowCountVar;
END
$func$;

-- Conditional insert: bumps the table version (optimistic check on VersionArg) and inserts the
-- silo row; any failure rolls back both (RAISE, not ASSERT, so it also works with
-- plpgsql.check_asserts = off). Returns 1 on success, 0 otherwise.
CREATE OR REPLACE FUNCTION insert_membership(
    DeploymentIdArg OrleansMembershipTable.DeploymentId%TYPE,
    AddressArg      OrleansMembershipTable.Address%TYPE,
    PortArg         OrleansMembershipTable.Port%TYPE,
    GenerationArg   OrleansMembershipTable.Generation%TYPE,
    SiloNameArg     OrleansMembershipTable.SiloName%TYPE,
    HostNameArg     OrleansMembershipTable.HostName%TYPE,
    StatusArg       OrleansMembershipTable.Status%TYPE,
    ProxyPortArg    OrleansMembershipTable.ProxyPort%TYPE,
    StartTimeArg    OrleansMembershipTable.StartTime%TYPE,
    IAmAliveTimeArg OrleansMembershipTable.IAmAliveTime%TYPE,
    VersionArg      OrleansMembershipVersionTable.Version%TYPE)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    RowCountVar int := 0;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
           SET Timestamp = now(),
               Version   = Version + 1
         WHERE DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
           AND Version = VersionArg AND VersionArg IS NOT NULL
           AND Version < 2147483647;

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;

        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName,
             Status, ProxyPort, StartTime, IAmAliveTime)
        SELECT DeploymentIdArg, AddressArg, PortArg, GenerationArg, SiloNameArg, HostNameArg,
               StatusArg, ProxyPortArg, StartTimeArg, IAmAliveTimeArg
         WHERE RowCountVar > 0
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;

        IF RowCountVar = 0 THEN
            RAISE EXCEPTION 'no rows affected, rollback' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT RowCountVar;
    EXCEPTION
        WHEN assert_failure THEN
            RETURN QUERY SELECT RowCountVar;
    END;
END
$func$;

-- Conditional update: same all-or-nothing pattern as insert_membership.
CREATE OR REPLACE FUNCTION update_membership(
    DeploymentIdArg OrleansMembershipTable.DeploymentId%TYPE,
    AddressArg      OrleansMembershipTable.Address%TYPE,
    PortArg         OrleansMembershipTable.Port%TYPE,
    GenerationArg   OrleansMembershipTable.Generation%TYPE,
    StatusArg       OrleansMembershipTable.Status%TYPE,
    SuspectTimesArg OrleansMembershipTable.SuspectTimes%TYPE,
    IAmAliveTimeArg OrleansMembershipTable.IAmAliveTime%TYPE,
    VersionArg      OrleansMembershipVersionTable.Version%TYPE)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    RowCountVar int := 0;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
           SET Timestamp = now(),
               Version   = Version + 1
         WHERE DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
           AND Version = VersionArg AND VersionArg IS NOT NULL
           AND Version < 2147483647;

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;

        UPDATE OrleansMembershipTable
           SET Status       = StatusArg,
               SuspectTimes = SuspectTimesArg,
               IAmAliveTime = IAmAliveTimeArg
         WHERE DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
           AND Address      = AddressArg      AND AddressArg IS NOT NULL
           AND Port         = PortArg         AND PortArg IS NOT NULL
           AND Generation   = GenerationArg   AND GenerationArg IS NOT NULL
           AND RowCountVar > 0;

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;

        IF RowCountVar = 0 THEN
            RAISE EXCEPTION 'no rows affected, rollback' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT RowCountVar;
    EXCEPTION
        WHEN assert_failure THEN
            RETURN QUERY SELECT RowCountVar;
    END;
END
$func$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateIAmAlivetimeKey', $q$
    SELECT * FROM update_i_am_alive_time(
        @DeploymentId,
        @Address,
        @Port,
        @Generation,
        @IAmAliveTime
    );
$q$),
('InsertMembershipVersionKey', $q$
    SELECT * FROM insert_membership_version(
        @DeploymentId
    );
$q$),
('InsertMembershipKey', $q$
    SELECT * FROM insert_membership(
        @DeploymentId,
        @Address,
        @Port,
        @Generation,
        @SiloName,
        @HostName,
        @Status,
        @ProxyPort,
        @StartTime,
        @IAmAliveTime,
        @Version
    );
$q$),
('UpdateMembershipKey', $q$
    SELECT * FROM update_membership(
        @DeploymentId,
        @Address,
        @Port,
        @Generation,
        @Status,
        @SuspectTimes,
        @IAmAliveTime,
        @Version
    );
$q$),
('MembershipReadRowKey', $q$
    SELECT
        v.DeploymentId,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime,
        v.Version
    FROM OrleansMembershipVersionTable v
    -- LEFT JOIN: the version row is returned even when no membership row matches.
    LEFT OUTER JOIN OrleansMembershipTable m
        ON v.DeploymentId = m.DeploymentId
        AND Address = @Address AND @Address IS NOT NULL
        AND Port = @Port AND @Port IS NOT NULL
        AND Generation = @Generation AND @Generation IS NOT NULL
    WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$),
('MembershipReadAllKey', $q$
    SELECT
        v.DeploymentId,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime,
        v.Version
    FROM OrleansMembershipVersionTable v
    LEFT OUTER JOIN OrleansMembershipTable m
        ON v.DeploymentId = m.DeploymentId
    WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$),
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
    DELETE FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$),
('GatewaysQueryKey', $q$
    SELECT
        Address,
        ProxyPort,
        Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
        AND Status = @Status AND @Status IS NOT NULL
        AND ProxyPort > 0;
$q$),
-- Bulk cleanup (Dead = 6 rows only). Required key; 10.4 uses it only when
-- CleanupDefunctSiloEntryKey is absent.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
        AND @DeploymentId IS NOT NULL
        AND IAmAliveTime < @IAmAliveTime
        AND StartTime < @IAmAliveTime
        AND COALESCE(SuspectTimes, '') = ''
        AND Status = 6;
$q$),
-- Per-row cleanup of a Dead silo whose captured values still match (optional key, 10.4+).
('CleanupDefunctSiloEntryKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = 6
        AND Address = @Address AND Port = @Port AND Generation = @Generation
        AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
        AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- -------------------------------------------------------------------------------------
-- Persistence (grain storage)
-- -------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    grainidhash            integer                     NOT NULL,
    grainidn0              bigint                      NOT NULL,
    grainidn1              bigint                      NOT NULL,
    graintypehash          integer                     NOT NULL,
    graintypestring        character varying(512)      NOT NULL,
    grainidextensionstring character varying(512),
    serviceid              character varying(150)      NOT NULL,
    payloadbinary          bytea,
    modifiedon             timestamp without time zone NOT NULL,
    version                integer
);

CREATE INDEX IF NOT EXISTS ix_orleansstorage
    ON OrleansStorage USING btree (grainidhash, graintypehash);

-- Optimistic-concurrency write. Returns the new version; returning the unchanged version
-- (or NULL for a failed first insert) makes Orleans raise InconsistentStateException.
CREATE OR REPLACE FUNCTION writetostorage(
    _grainidhash            integer,
    _grainidn0              bigint,
    _grainidn1              bigint,
    _graintypehash          integer,
    _graintypestring        character varying,
    _grainidextensionstring character varying,
    _serviceid              character varying,
    _grainstateversion      integer,
    _payloadbinary          bytea)
RETURNS TABLE(newgrainstateversion integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    _newGrainStateVersion integer := _GrainStateVersion;
    RowCountVar           integer := 0;
BEGIN
    -- State was read before (has a version): update only if the version still matches.
    IF _GrainStateVersion IS NOT NULL THEN
        UPDATE OrleansStorage
           SET PayloadBinary = _PayloadBinary,
               ModifiedOn    = (now() at time zone 'utc'),
               Version       = Version + 1
         WHERE GrainIdHash = _GrainIdHash AND _GrainIdHash IS NOT NULL
           AND GrainTypeHash = _GrainTypeHash AND _GrainTypeHash IS NOT NULL
           AND GrainIdN0 = _GrainIdN0 AND _GrainIdN0 IS NOT NULL
           AND GrainIdN1 = _GrainIdN1 AND _GrainIdN1 IS NOT NULL
           AND GrainTypeString = _GrainTypeString AND _GrainTypeString IS NOT NULL
           AND ((_GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString IS NOT NULL
                 AND GrainIdExtensionString = _GrainIdExtensionString)
                OR _GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL)
           AND ServiceId = _ServiceId AND _ServiceId IS NOT NULL
           AND Version IS NOT NULL AND Version = _GrainStateVersion AND _GrainStateVersion IS NOT NULL;

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;
        IF RowCountVar > 0 THEN
            _newGrainStateVersion := _GrainStateVersion + 1;
        END IF;
    END IF;

    -- No version yet: insert the first row, only if none exists for this grain.
    IF _GrainStateVersion IS NULL THEN
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        SELECT _GrainIdHash, _GrainIdN0, _GrainIdN1, _GrainTypeHash, _GrainTypeString,
               _GrainIdExtensionString, _ServiceId, _PayloadBinary, (now() at time zone 'utc'), 1
         WHERE NOT EXISTS
         (
            SELECT 1
              FROM OrleansStorage
             WHERE GrainIdHash = _GrainIdHash AND _GrainIdHash IS NOT NULL
               AND GrainTypeHash = _GrainTypeHash AND _GrainTypeHash IS NOT NULL
               AND GrainIdN0 = _GrainIdN0 AND _GrainIdN0 IS NOT NULL
               AND GrainIdN1 = _GrainIdN1 AND _GrainIdN1 IS NOT NULL
               AND GrainTypeString = _GrainTypeString AND _GrainTypeString IS NOT NULL
               AND ((_GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString IS NOT NULL
                     AND GrainIdExtensionString = _GrainIdExtensionString)
                    OR _GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL)
               AND ServiceId = _ServiceId AND _ServiceId IS NOT NULL
         );

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;
        IF RowCountVar > 0 THEN
            _newGrainStateVersion := 1;
        END IF;
    END IF;

    RETURN QUERY SELECT _newGrainStateVersion AS NewGrainStateVersion;
END
$func$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', $q$
    select * from WriteToStorage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
$q$),
('ReadFromStorageKey', $q$
    SELECT
        PayloadBinary,
        (now() at time zone 'utc'),
        Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash
        AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
        AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
        AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
        AND GrainTypeString = @GrainTypeString AND GrainTypeString IS NOT NULL
        AND ((@GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString = @GrainIdExtensionString)
             OR @GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL)
        AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
$q$),
('ClearStorageKey', $q$
    UPDATE OrleansStorage
    SET
        PayloadBinary = NULL,
        Version = Version + 1
    WHERE GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
        AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
        AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
        AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
        AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
        AND ((@GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString = @GrainIdExtensionString)
             OR @GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL)
        AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
        AND Version IS NOT NULL AND Version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING Version AS NewGrainStateVersion
$q$),
-- Used only when AdoNetGrainStorageOptions.DeleteStateOnClear = true.
('DeleteStorageKey', $q$
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
        AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
        AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
        AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
        AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
        AND ((@GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString = @GrainIdExtensionString)
             OR @GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL)
        AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
        AND Version IS NOT NULL AND Version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING Version + 1 AS NewGrainStateVersion
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- -------------------------------------------------------------------------------------
-- Reminders
-- -------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(150)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,

    CONSTRAINT PK_RemindersTable_ServiceId_GrainId_ReminderName PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Upgrade path for pre-3.6.0 reminder tables (timestamp -> timestamptz, UTC; int -> bigint period).
DO $upgrade$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'orleansreminderstable'
                 AND column_name = 'starttime' AND data_type = 'timestamp without time zone') THEN
        ALTER TABLE OrleansRemindersTable
            ALTER COLUMN StartTime TYPE timestamptz(3) USING StartTime AT TIME ZONE 'UTC';
    END IF;
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'orleansreminderstable'
                 AND column_name = 'period' AND data_type = 'integer') THEN
        ALTER TABLE OrleansRemindersTable ALTER COLUMN Period TYPE bigint;
    END IF;
END
$upgrade$;

CREATE OR REPLACE FUNCTION upsert_reminder_row(
    ServiceIdArg    OrleansRemindersTable.ServiceId%TYPE,
    GrainIdArg      OrleansRemindersTable.GrainId%TYPE,
    ReminderNameArg OrleansRemindersTable.ReminderName%TYPE,
    StartTimeArg    OrleansRemindersTable.StartTime%TYPE,
    PeriodArg       OrleansRemindersTable.Period%TYPE,
    GrainHashArg    OrleansRemindersTable.GrainHash%TYPE)
RETURNS TABLE(version integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    VersionVar int := 0;
BEGIN
    INSERT INTO OrleansRemindersTable
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    SELECT ServiceIdArg, GrainIdArg, ReminderNameArg, StartTimeArg, PeriodArg, GrainHashArg, 0
    ON CONFLICT (ServiceId, GrainId, ReminderName)
        DO UPDATE SET
            StartTime = excluded.StartTime,
            Period    = excluded.Period,
            GrainHash = excluded.GrainHash,
            Version   = OrleansRemindersTable.Version + 1
    RETURNING OrleansRemindersTable.Version INTO STRICT VersionVar;

    RETURN QUERY SELECT VersionVar AS versionr;
END
$func$;

-- Returns the number of deleted rows (1 = success, 0 = etag mismatch / not found).
CREATE OR REPLACE FUNCTION delete_reminder_row(
    ServiceIdArg    OrleansRemindersTable.ServiceId%TYPE,
    GrainIdArg      OrleansRemindersTable.GrainId%TYPE,
    ReminderNameArg OrleansRemindersTable.ReminderName%TYPE,
    VersionArg      OrleansRemindersTable.Version%TYPE)
RETURNS TABLE(row_count integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    RowCountVar int := 0;
BEGIN
    DELETE FROM OrleansRemindersTable
     WHERE ServiceId    = ServiceIdArg    AND ServiceIdArg IS NOT NULL
       AND GrainId      = GrainIdArg      AND GrainIdArg IS NOT NULL
       AND ReminderName = ReminderNameArg AND ReminderNameArg IS NOT NULL
       AND Version      = VersionArg      AND VersionArg IS NOT NULL;

    GET DIAGNOSTICS RowCountVar = ROW_COUNT;

    RETURN QUERY SELECT RowCountVar;
END
$func$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', $q$
    SELECT * FROM upsert_reminder_row(
        @ServiceId,
        @GrainId,
        @ReminderName,
        @StartTime,
        @Period,
        @GrainHash
    );
$q$),
('ReadReminderRowsKey', $q$
    SELECT
        GrainId,
        ReminderName,
        StartTime,
        Period,
        Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
        AND GrainId = @GrainId AND @GrainId IS NOT NULL;
$q$),
('ReadReminderRowKey', $q$
    SELECT
        GrainId,
        ReminderName,
        StartTime,
        Period,
        Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
        AND GrainId = @GrainId AND @GrainId IS NOT NULL
        AND ReminderName = @ReminderName AND @ReminderName IS NOT NULL;
$q$),
('ReadRangeRows1Key', $q$
    SELECT
        GrainId,
        ReminderName,
        StartTime,
        Period,
        Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
        AND GrainHash > @BeginHash AND @BeginHash IS NOT NULL
        AND GrainHash <= @EndHash AND @EndHash IS NOT NULL;
$q$),
('ReadRangeRows2Key', $q$
    SELECT
        GrainId,
        ReminderName,
        StartTime,
        Period,
        Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
        AND ((GrainHash > @BeginHash AND @BeginHash IS NOT NULL)
          OR (GrainHash <= @EndHash AND @EndHash IS NOT NULL));
$q$),
('DeleteReminderRowKey', $q$
    SELECT * FROM delete_reminder_row(
        @ServiceId,
        @GrainId,
        @ReminderName,
        @Version
    );
$q$),
('DeleteReminderRowsKey', $q$
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

COMMIT;
