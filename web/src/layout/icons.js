// icons.js — the menu's icons, imported one by one (not the whole icon set).
import { DataBoard, TrendCharts, Trophy, Tickets, Warning, House, PieChart, EditPen, Stamp, User, OfficeBuilding, Share, Upload, Setting, Coin, Connection, Reading, ChatLineSquare } from '@element-plus/icons-vue';

export const icons = { DataBoard, TrendCharts, Trophy, Tickets, Warning, House, PieChart, EditPen, Stamp, User, OfficeBuilding, Share, Upload, Setting, Coin, Connection, Reading, ChatLineSquare };
