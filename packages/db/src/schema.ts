import type { Insertable, Selectable, Updateable } from "kysely";
import type { BrandsTable, CategoriesTable, CustomersTable, IngredientStockTable, IngredientsTable, LocationConversationSettingsTable, LocationHourExceptionsTable, LocationHoursTable, LocationProductOverridesTable, LocationVariationPricesTable, LocationsTable, ModifierGroupsTable, ModifiersTable, PhoneNumbersTable, ProductIngredientsTable, ProductModifierGroupsTable, ProductsTable, SpecialsTable, VariationsTable } from "./schema-catalog.ts";
import type { OrderItemModifiersTable, OrderItemsTable, OrderNotificationsTable, OrderNumberCountersTable, OrderStatusEventsTable, OrdersTable, ToolRequestsTable, VoiceCallEventsTable, VoiceCallsTable } from "./schema-orders.ts";
import type { CallSurveysTable, CallbackRequestsTable, ConfirmationIntegrationsTable, DashboardSessionsTable, DashboardUserLocationsTable, DashboardUsersTable, EscalationsTable, LocationSheetsTable, LocationStaffLinesTable, MenuControlEventsTable, SheetWritebacksTable, StaffLineHoursTable } from "./schema-staff.ts";

// The table types live in schema-catalog.ts, schema-orders.ts and schema-staff.ts (column conventions in
// schema-columns.ts); this file assembles the Database and the row aliases.
export * from "./schema-catalog.ts";
export * from "./schema-columns.ts";
export * from "./schema-orders.ts";
export * from "./schema-staff.ts";

export interface Database {
  confirmation_integrations: ConfirmationIntegrationsTable;
  location_conversation_settings: LocationConversationSettingsTable;
  brands: BrandsTable;
  locations: LocationsTable;
  location_hours: LocationHoursTable;
  location_hour_exceptions: LocationHourExceptionsTable;
  phone_numbers: PhoneNumbersTable;
  categories: CategoriesTable;
  products: ProductsTable;
  variations: VariationsTable;
  modifier_groups: ModifierGroupsTable;
  modifiers: ModifiersTable;
  product_modifier_groups: ProductModifierGroupsTable;
  ingredients: IngredientsTable;
  ingredient_stock: IngredientStockTable;
  product_ingredients: ProductIngredientsTable;
  location_variation_prices: LocationVariationPricesTable;
  location_product_overrides: LocationProductOverridesTable;
  specials: SpecialsTable;
  customers: CustomersTable;
  orders: OrdersTable;
  order_items: OrderItemsTable;
  order_item_modifiers: OrderItemModifiersTable;
  order_status_events: OrderStatusEventsTable;
  order_number_counters: OrderNumberCountersTable;
  voice_calls: VoiceCallsTable;
  voice_call_events: VoiceCallEventsTable;
  order_notifications: OrderNotificationsTable;
  tool_requests: ToolRequestsTable;
  location_staff_lines: LocationStaffLinesTable;
  staff_line_hours: StaffLineHoursTable;
  callback_requests: CallbackRequestsTable;
  escalations: EscalationsTable;
  menu_control_events: MenuControlEventsTable;
  sheet_writebacks: SheetWritebacksTable;
  location_sheets: LocationSheetsTable;
  dashboard_users: DashboardUsersTable;
  dashboard_user_locations: DashboardUserLocationsTable;
  dashboard_sessions: DashboardSessionsTable;
  call_surveys: CallSurveysTable;
}

export type TableName = keyof Database;

export type Brand = Selectable<BrandsTable>;
export type Location = Selectable<LocationsTable>;
export type NewLocation = Insertable<LocationsTable>;
export type LocationHours = Selectable<LocationHoursTable>;
export type LocationHourException = Selectable<LocationHourExceptionsTable>;
export type PhoneNumber = Selectable<PhoneNumbersTable>;
export type Category = Selectable<CategoriesTable>;
export type Product = Selectable<ProductsTable>;
export type Variation = Selectable<VariationsTable>;
export type ModifierGroup = Selectable<ModifierGroupsTable>;
export type Modifier = Selectable<ModifiersTable>;
export type Ingredient = Selectable<IngredientsTable>;
export type IngredientStock = Selectable<IngredientStockTable>;
export type Special = Selectable<SpecialsTable>;
export type Customer = Selectable<CustomersTable>;
export type Order = Selectable<OrdersTable>;
export type NewOrder = Insertable<OrdersTable>;
export type OrderUpdate = Updateable<OrdersTable>;
export type OrderItem = Selectable<OrderItemsTable>;
export type NewOrderItem = Insertable<OrderItemsTable>;
export type OrderItemModifier = Selectable<OrderItemModifiersTable>;
export type NewOrderItemModifier = Insertable<OrderItemModifiersTable>;
export type OrderStatusEvent = Selectable<OrderStatusEventsTable>;
export type VoiceCall = Selectable<VoiceCallsTable>;
export type NewVoiceCall = Insertable<VoiceCallsTable>;
export type VoiceCallUpdate = Updateable<VoiceCallsTable>;
export type VoiceCallEvent = Selectable<VoiceCallEventsTable>;
export type LocationStaffLine = Selectable<LocationStaffLinesTable>;
export type StaffLineHours = Selectable<StaffLineHoursTable>;
export type CallbackRequest = Selectable<CallbackRequestsTable>;
export type Escalation = Selectable<EscalationsTable>;
export type MenuControlEvent = Selectable<MenuControlEventsTable>;
export type NewVoiceCallEvent = Insertable<VoiceCallEventsTable>;
export type OrderNotification = Selectable<OrderNotificationsTable>;
export type DashboardUser = Selectable<DashboardUsersTable>;
export type CallSurvey = Selectable<CallSurveysTable>;
export type ConfirmationIntegration = Selectable<ConfirmationIntegrationsTable>;
export type LocationSheet = Selectable<LocationSheetsTable>;

